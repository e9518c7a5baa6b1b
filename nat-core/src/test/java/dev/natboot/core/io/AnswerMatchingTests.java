package dev.natboot.core.io;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpClient;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;
import dev.natboot.core.pmp.PmpClient;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.pmp.PmpMapRequest;
import dev.natboot.core.pmp.PmpMapResponse;
import dev.natboot.core.pmp.PmpResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several requests are pending with one router; answers arrive in any order, errors among them. Each answer
 * goes to the request it answers, or to none: a refusal of port 8080 never fails the mapping of 9000, and the
 * real grant for 9000 is never dropped as unsolicited.
 */
class AnswerMatchingTests {

	/** One try, long enough for the test to answer by hand. */
	private static final Retransmission ONCE = new Retransmission(Duration.ofMillis(1500), Duration.ofMillis(1500), 1);

	private final NatEventLoop loop = NatEventLoop.open("test");

	private final IgnoredDatagrams ignored = new IgnoredDatagrams();

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	void aPcpRefusalOfOnePortFailsOnlyThatMapping() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PcpClient client = new PcpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PcpResponse> web = client.map(map(8080), 60);
			CompletableFuture<PcpResponse> game = client.map(map(9000), 60);
			List<byte[]> requests = router.receive(2);
			PcpRequest first = PcpCodec.decodeRequest(requests.get(0));
			PcpRequest second = PcpCodec.decodeRequest(requests.get(1));
			PcpRequest asked8080 = (((PcpMapData) first.data()).internalPort() == 8080) ? first : second;
			PcpRequest asked9000 = (asked8080 == first) ? second : first;
			// The refusal of 8080 first, carrying its request's data, as RFC 6887 section 11.4 says.
			router.send(PcpCodec.encode(new PcpResponse(PcpOpcode.MAP, PcpResultCode.NOT_AUTHORIZED, 0, 10,
					(PcpMapData) asked8080.data(), List.of())));
			router.send(PcpCodec.encode(new PcpResponse(PcpOpcode.MAP, PcpResultCode.SUCCESS, 60, 10,
					granted((PcpMapData) asked9000.data()), List.of())));
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PcpResultCode.NOT_AUTHORIZED);
			assertThat(game.get(2, TimeUnit.SECONDS).result()).isEqualTo(PcpResultCode.SUCCESS);
			assertThat(this.ignored.countOf(IgnoredDatagrams.Reason.UNMATCHED)).isZero();
		}
	}

	@Test
	void aPcpErrorWithoutDataWhileTwoMapsArePendingAnswersNeither() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PcpClient client = new PcpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PcpResponse> web = client.map(map(8080), 60);
			CompletableFuture<PcpResponse> game = client.map(map(9000), 60);
			List<byte[]> requests = router.receive(2);
			router.send(headerOnlyPcpError(PcpResultCode.MALFORMED_REQUEST));
			for (byte[] request : requests) {
				PcpRequest asked = PcpCodec.decodeRequest(request);
				router.send(PcpCodec.encode(new PcpResponse(PcpOpcode.MAP, PcpResultCode.SUCCESS, 60, 10,
						granted((PcpMapData) asked.data()), List.of())));
			}
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PcpResultCode.SUCCESS);
			assertThat(game.get(2, TimeUnit.SECONDS).result()).isEqualTo(PcpResultCode.SUCCESS);
			assertThat(this.ignored.countOf(IgnoredDatagrams.Reason.AMBIGUOUS)).isEqualTo(1);
		}
	}

	@Test
	void aPcpErrorWithoutDataAnswersTheOnlyPendingMap() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PcpClient client = new PcpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PcpResponse> web = client.map(map(8080), 60);
			router.receive(1);
			router.send(headerOnlyPcpError(PcpResultCode.MALFORMED_REQUEST));
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PcpResultCode.MALFORMED_REQUEST);
		}
	}

	@Test
	void aPcpAnswerForAnotherNonceIsDroppedAndCounted() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PcpClient client = new PcpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PcpResponse> web = client.map(map(8080), 60);
			PcpRequest asked = PcpCodec.decodeRequest(router.receive(1).get(0));
			PcpMapData other = new PcpMapData(new byte[12], 6, 8080, 8080, InetAddress.getByName("203.0.113.5"));
			router.send(PcpCodec.encode(new PcpResponse(PcpOpcode.MAP, PcpResultCode.NOT_AUTHORIZED, 0, 10, other,
					List.of())));
			router.send(PcpCodec.encode(new PcpResponse(PcpOpcode.MAP, PcpResultCode.SUCCESS, 60, 10,
					granted((PcpMapData) asked.data()), List.of())));
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PcpResultCode.SUCCESS);
			assertThat(this.ignored.countOf(IgnoredDatagrams.Reason.UNMATCHED)).isEqualTo(1);
		}
	}

	@Test
	void aNatPmpRefusalOfOnePortFailsOnlyThatMapping() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PmpClient client = new PmpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PmpMapResponse> web = client.map(new PmpMapRequest(Transport.TCP, 8080, 8080, 60));
			CompletableFuture<PmpMapResponse> game = client.map(new PmpMapRequest(Transport.TCP, 9000, 9000, 60));
			router.receive(2);
			router.send(PmpCodec.encode(new PmpMapResponse(Transport.TCP, PmpResultCode.NOT_AUTHORIZED, 10, 8080, 0, 0)));
			router.send(PmpCodec.encode(new PmpMapResponse(Transport.TCP, PmpResultCode.SUCCESS, 10, 9000, 9000, 60)));
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PmpResultCode.NOT_AUTHORIZED);
			assertThat(game.get(2, TimeUnit.SECONDS).result()).isEqualTo(PmpResultCode.SUCCESS);
		}
	}

	@Test
	void aNatPmpErrorHeaderAloneWhileTwoMapsArePendingAnswersNeither() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PmpClient client = new PmpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PmpMapResponse> web = client.map(new PmpMapRequest(Transport.TCP, 8080, 8080, 60));
			CompletableFuture<PmpMapResponse> game = client.map(new PmpMapRequest(Transport.TCP, 9000, 9000, 60));
			router.receive(2);
			// Version 0, opcode 130 (TCP map response), result 2, epoch: the fields after the header left out.
			router.send(ByteBuffer.allocate(8).put((byte) 0).put((byte) 130).putShort((short) 2).putInt(10).array());
			router.send(PmpCodec.encode(new PmpMapResponse(Transport.TCP, PmpResultCode.SUCCESS, 10, 8080, 8080, 60)));
			router.send(PmpCodec.encode(new PmpMapResponse(Transport.TCP, PmpResultCode.SUCCESS, 10, 9000, 9000, 60)));
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PmpResultCode.SUCCESS);
			assertThat(game.get(2, TimeUnit.SECONDS).result()).isEqualTo(PmpResultCode.SUCCESS);
			assertThat(this.ignored.countOf(IgnoredDatagrams.Reason.AMBIGUOUS)).isEqualTo(1);
		}
	}

	@Test
	void aNatPmpUdpRefusalNeverAnswersATcpRequest() throws Exception {
		try (ScriptedServer router = new ScriptedServer();
				PmpClient client = new PmpClient(this.loop, router.address(), ONCE, this.ignored)) {
			CompletableFuture<PmpMapResponse> web = client.map(new PmpMapRequest(Transport.TCP, 8080, 8080, 60));
			router.receive(1);
			router.send(PmpCodec.encode(new PmpMapResponse(Transport.UDP, PmpResultCode.NOT_AUTHORIZED, 10, 8080, 0, 0)));
			router.send(PmpCodec.encode(new PmpMapResponse(Transport.TCP, PmpResultCode.SUCCESS, 10, 8080, 8080, 60)));
			assertThat(web.get(2, TimeUnit.SECONDS).result()).isEqualTo(PmpResultCode.SUCCESS);
			assertThat(this.ignored.countOf(IgnoredDatagrams.Reason.UNMATCHED)).isEqualTo(1);
		}
	}

	private static PcpMapData map(int port) {
		byte[] nonce = new byte[12];
		new java.security.SecureRandom().nextBytes(nonce);
		return new PcpMapData(nonce, 6, port, port, unspecified());
	}

	private static PcpMapData granted(PcpMapData asked) throws Exception {
		return new PcpMapData(asked.nonce(), asked.protocol(), asked.internalPort(), asked.internalPort(),
				InetAddress.getByName("203.0.113.5"));
	}

	private static byte[] headerOnlyPcpError(PcpResultCode result) {
		return ByteBuffer.allocate(PcpCodec.HEADER_LENGTH).put((byte) 2).put((byte) 0x81).put((byte) 0)
			.put((byte) result.code()).putInt(0).putInt(10).array();
	}

	private static InetAddress unspecified() {
		try {
			return InetAddress.getByAddress(new byte[4]);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
