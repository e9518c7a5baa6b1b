package dev.natboot.core.stun;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.NatEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client and the RFC 5780 tests against a fake server with two loopback addresses that plays each kind of NAT.
 */
class NatBehaviorDiscoveryTests {

	private static final Retransmission FAST = new Retransmission(Duration.ofMillis(30), Duration.ofMillis(120), 4);

	private final NatEventLoop loop = NatEventLoop.open("stun-test");

	private final FakeStunServer server = new FakeStunServer();

	@AfterEach
	void close() {
		this.server.close();
		this.loop.close();
	}

	@Test
	void withNoNatAndNoFilterItIsTheOpenInternet() throws Exception {
		NatBehavior behavior = discover();
		assertThat(behavior.mapping()).isEqualTo(MappingBehavior.NO_NAT);
		assertThat(behavior.filtering()).isEqualTo(FilteringBehavior.ENDPOINT_INDEPENDENT);
		assertThat(behavior.hairpinning()).isEqualTo(Hairpinning.NOT_APPLICABLE);
		assertThat(behavior.natType()).isEqualTo(NatType.OPEN_INTERNET);
		assertThat(behavior.mappedAddress()).isEqualTo(behavior.localAddress());
		assertThat(behavior.otherAddress()).isEqualTo(this.server.address(1, 1));
		assertThat(behavior.notes()).isEmpty();
	}

	@ParameterizedTest(name = "{0} mapping, {1} filtering: {2}")
	@CsvSource({ "ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, FULL_CONE",
			"ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, RESTRICTED_CONE",
			"ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, PORT_RESTRICTED_CONE",
			"ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, SYMMETRIC",
			"ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT, SYMMETRIC" })
	void classifiesEveryNat(MappingBehavior mapping, FilteringBehavior filtering, NatType type) throws Exception {
		this.server.mapping = mapping;
		this.server.filtering = filtering;
		NatBehavior behavior = discover();
		assertThat(behavior.mapping()).isEqualTo(mapping);
		assertThat(behavior.filtering()).isEqualTo(filtering);
		assertThat(behavior.natType()).isEqualTo(type);
		assertThat(behavior.mappedAddress().getAddress()).isEqualTo(FakeStunServer.NAT_ADDRESS);
		// Nothing listens at the played NAT's address: the request sent there never comes back.
		assertThat(behavior.hairpinning()).isEqualTo(Hairpinning.NOT_SUPPORTED);
	}

	/**
	 * Behind a port-restricted cone, three requests go unanswered by design (two CHANGE-REQUESTs and the hairpin
	 * probe), each retried for 50+100+200+400 ms on a loopback round trip. One after the other they would take
	 * at least 2.25 s; side by side, one such wait.
	 */
	@Test
	void theRequestsThatGoUnansweredByDesignAreWaitedForSideBySide() throws Exception {
		this.server.mapping = MappingBehavior.ENDPOINT_INDEPENDENT;
		this.server.filtering = FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT;
		long started = System.nanoTime();
		NatBehavior behavior = new NatBehaviorDiscovery(this.loop, StunClient.LAN).discover(this.server.primary())
			.get(10, TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(behavior.natType()).isEqualTo(NatType.PORT_RESTRICTED_CONE);
		assertThat(behavior.hairpinning()).isEqualTo(Hairpinning.NOT_SUPPORTED);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(750)).isLessThan(Duration.ofMillis(1800));
	}

	@Test
	void aServerWithoutOtherAddressLeavesTheBehaviourUnknownAndSaysWhy() throws Exception {
		this.server.mapping = MappingBehavior.ENDPOINT_INDEPENDENT;
		this.server.sendOtherAddress = false;
		NatBehavior behavior = discover();
		assertThat(behavior.mapping()).isEqualTo(MappingBehavior.UNKNOWN);
		assertThat(behavior.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
		assertThat(behavior.natType()).isEqualTo(NatType.UNKNOWN);
		assertThat(behavior.notes()).singleElement().asString().contains("no OTHER-ADDRESS");
	}

	@Test
	void anOtherAddressThatDoesNotDifferInAddressAndPortIsNotTrusted() throws Exception {
		this.server.mapping = MappingBehavior.ENDPOINT_INDEPENDENT;
		this.server.otherAddressOverride = new InetSocketAddress(FakeStunServer.SECONDARY,
				this.server.primary().getPort());
		NatBehavior behavior = discover();
		assertThat(behavior.natType()).isEqualTo(NatType.UNKNOWN);
		assertThat(behavior.notes()).singleElement().asString().contains("does not differ");
	}

	@Test
	void anOtherAddressOfAnotherKindIsNeverContacted() throws Exception {
		this.server.mapping = MappingBehavior.ENDPOINT_INDEPENDENT;
		this.server.otherAddressOverride = new InetSocketAddress("192.0.2.77", 3479);
		NatBehavior behavior = discover();
		assertThat(behavior.natType()).isEqualTo(NatType.UNKNOWN);
		assertThat(behavior.notes()).singleElement().asString().contains("not the same kind of address");
	}

	@Test
	void aServerThatIgnoresChangeRequestLeavesTheFilteringUnknown() throws Exception {
		this.server.honourChangeRequest = false;
		NatBehavior behavior = discover();
		assertThat(behavior.mapping()).isEqualTo(MappingBehavior.NO_NAT);
		assertThat(behavior.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
		assertThat(behavior.notes()).anySatisfy((note) -> assertThat(note).contains("does not honour CHANGE-REQUEST"));
	}

	@Test
	void aLostRequestIsSentAgainWithTheSameTransactionId() throws Exception {
		this.server.dropNext.set(2);
		StunClient client = new StunClient(this.loop, new InetSocketAddress(FakeStunServer.PRIMARY, 0));
		StunResponse response = client.binding(this.server.primary(), FAST).get(5, TimeUnit.SECONDS);
		assertThat(response.attempts()).isEqualTo(3);
		assertThat(response.mappedAddress()).isEqualTo(client.localAddress());
		assertThat(this.server.requests).hasSize(3).extracting(StunMessage::transactionId)
			.allSatisfy((id) -> assertThat(id).isEqualTo(this.server.requests.get(0).transactionId()));
		assertThat(this.server.requests.get(0).attribute(StunAttribute.Software.class)).isPresent();
		assertThat(this.server.requests.get(0).fingerprint()).isTrue();
		client.close();
	}

	@Test
	void aSilentServerIsATypedNoResponse() {
		this.server.dropNext.set(100);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> new NatBehaviorDiscovery(this.loop, FAST).discover(this.server.primary())
				.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(NatException.class,
					(cause) -> assertThat(cause.kind()).isEqualTo(NatErrorKind.NO_RESPONSE));
	}

	@Test
	void anErrorResponseIsATypedProtocolErrorWithTheStunCode() throws Exception {
		this.server.answerRewrite = (answer) -> new StunMessage(StunMessageClass.ERROR_RESPONSE, answer.method(),
				answer.transactionId(), List.of(new StunAttribute.ErrorCode(500, "Server Error")), true);
		NatException failure = bindingFailure();
		assertThat(failure.kind()).isEqualTo(NatErrorKind.PROTOCOL_ERROR);
		assertThat(failure.routerCode()).isEqualTo(500);
		assertThat(failure.getMessage()).contains("500 Server Error");
	}

	@Test
	void aSuccessWithAnUnknownComprehensionRequiredAttributeIsRejected() throws Exception {
		this.server.answerRewrite = (answer) -> new StunMessage(answer.messageClass(), answer.method(),
				answer.transactionId(), List.of(answer.attributes().get(0), new StunAttribute.Opaque(0x7777, new byte[4])),
				true);
		NatException failure = bindingFailure();
		assertThat(failure.kind()).isEqualTo(NatErrorKind.MALFORMED_RESPONSE);
		assertThat(failure.getMessage()).contains("unknown comprehension-required", "0x7777");
	}

	@Test
	void aSuccessWithoutAMappedAddressIsRejected() throws Exception {
		this.server.answerRewrite = (answer) -> new StunMessage(answer.messageClass(), answer.method(),
				answer.transactionId(), List.of(new StunAttribute.Software("empty")), false);
		assertThat(bindingFailure().kind()).isEqualTo(NatErrorKind.MALFORMED_RESPONSE);
	}

	@Test
	void namesEveryCombinationTheClassicWay() {
		assertThat(NatType.of(MappingBehavior.NO_NAT, FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT))
			.isEqualTo(NatType.SYMMETRIC_UDP_FIREWALL);
		assertThat(NatType.of(MappingBehavior.NO_NAT, FilteringBehavior.UNKNOWN)).isEqualTo(NatType.UNKNOWN);
		assertThat(NatType.of(MappingBehavior.UNKNOWN, FilteringBehavior.ENDPOINT_INDEPENDENT)).isEqualTo(NatType.UNKNOWN);
		assertThat(NatType.of(MappingBehavior.ADDRESS_DEPENDENT, FilteringBehavior.UNKNOWN)).isEqualTo(NatType.SYMMETRIC);
		assertThat(NatType.PORT_RESTRICTED_CONE.displayName()).isEqualTo("port-restricted cone");
	}

	private NatBehavior discover() throws Exception {
		return new NatBehaviorDiscovery(this.loop, FAST).discover(this.server.primary()).get(10, TimeUnit.SECONDS);
	}

	private NatException bindingFailure() throws Exception {
		StunClient client = new StunClient(this.loop, new InetSocketAddress(FakeStunServer.PRIMARY, 0));
		try {
			client.binding(this.server.primary(), FAST).get(5, TimeUnit.SECONDS);
			throw new AssertionError("binding succeeded");
		}
		catch (ExecutionException ex) {
			return (NatException) ex.getCause();
		}
		finally {
			client.close();
		}
	}

}
