package dev.natboot.core.stun;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.MessageConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StunConnectionTests {

	private static final Retransmission QUICK = new Retransmission(Duration.ofMillis(50), Duration.ofMillis(100), 3);

	@Test
	void bindingTellsTheAddressTheServerSees() throws Exception {
		try (FakeStunServer server = new FakeStunServer();
				MessageConnection<StunMessage, StunMessage> stun = StunConnection.open(server.primary())) {
			server.reportedAddress = new InetSocketAddress("203.0.113.7", 40000);
			StunMessage request = StunMessage.bindingRequest();
			StunMessage answer = stun.exchange(request, (r) -> r.hasTransactionId(request.transactionId()), QUICK);
			assertThat(answer.messageClass()).isEqualTo(StunMessageClass.SUCCESS_RESPONSE);
			assertThat(answer.mappedAddress()).contains(new InetSocketAddress("203.0.113.7", 40000));
			assertThat(answer.otherAddress()).isPresent();
			assertThat(server.requests).singleElement()
				.satisfies((received) -> assertThat(received.attribute(StunAttribute.Software.class))
					.map(StunAttribute.Software::description)
					.contains(StunMessage.SOFTWARE));
		}
	}

	@Test
	void retransmitsALostRequestWithTheSameTransactionId() throws Exception {
		try (FakeStunServer server = new FakeStunServer();
				MessageConnection<StunMessage, StunMessage> stun = StunConnection.open(server.primary())) {
			server.dropNext.set(1);
			StunMessage request = StunMessage.bindingRequest();
			StunMessage answer = stun.exchange(request, (r) -> r.hasTransactionId(request.transactionId()), QUICK);
			assertThat(answer.mappedAddress()).isPresent();
			assertThat(server.requests).hasSize(2)
				.allSatisfy((received) -> assertThat(received.hasTransactionId(request.transactionId())).isTrue());
		}
	}

	@Test
	void aSilentServerIsATypedNoResponse() throws Exception {
		try (FakeStunServer server = new FakeStunServer();
				MessageConnection<StunMessage, StunMessage> stun = StunConnection.open(server.primary())) {
			server.dropNext.set(Integer.MAX_VALUE);
			StunMessage request = StunMessage.bindingRequest();
			assertThatExceptionOfType(NatException.class)
				.isThrownBy(() -> stun.exchange(request, (r) -> r.hasTransactionId(request.transactionId()), QUICK))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NatErrorKind.NO_RESPONSE));
			assertThat(server.requests).hasSize(3);
		}
	}

}
