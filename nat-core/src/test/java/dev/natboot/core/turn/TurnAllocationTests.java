package dev.natboot.core.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The TURN client against a fake server on loopback that plays coturn's long-term credential mechanism and
 * misbehaves on demand; the real coturn is in the lab tests.
 */
class TurnAllocationTests {

	private static final TurnCredentials CREDENTIALS = TurnCredentials.of(FakeTurnServer.USER, FakeTurnServer.PASSWORD);

	private static final TurnOptions OPTIONS = TurnOptions.defaults().withTimeout(Duration.ofSeconds(2));

	private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

	private FakeTurnServer server;

	@BeforeEach
	void start() throws Exception {
		this.server = new FakeTurnServer();
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	@Test
	void allocatesAfterTheServerNamesItsRealmAndNonceAndSignsEveryLaterRequest() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			assertThat(allocation.relayedAddress()).isEqualTo(FakeTurnServer.RELAYED);
			assertThat(allocation.mappedAddress()).isPresent();
			assertThat(allocation.lifetime()).isEqualTo(Duration.ofMinutes(10));
			allocation.refresh();
		}
		assertThat(this.server.requests(StunMethod.ALLOCATE)).hasSize(2);
		StunMessage first = this.server.requests(StunMethod.ALLOCATE).get(0);
		assertThat(first.attribute(StunAttribute.Username.class)).isEmpty();
		assertThat(first.attribute(StunAttribute.RequestedTransport.class)).contains(
				new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP));
		StunMessage signed = this.server.requests(StunMethod.ALLOCATE).get(1);
		assertThat(signed.attribute(StunAttribute.Username.class)).contains(new StunAttribute.Username("alice"));
		assertThat(signed.attribute(StunAttribute.Realm.class)).contains(new StunAttribute.Realm(FakeTurnServer.REALM));
		assertThat(signed.attribute(StunAttribute.Nonce.class)).isPresent();
		// Refresh and the closing Refresh (lifetime 0) are signed at once, without another 401.
		assertThat(this.server.requests(StunMethod.REFRESH)).hasSize(2)
			.allSatisfy((refresh) -> assertThat(refresh.attribute(StunAttribute.MessageIntegrity.class)).isPresent());
		assertThat(this.server.requests(StunMethod.REFRESH).get(1).attribute(StunAttribute.Lifetime.class))
			.contains(new StunAttribute.Lifetime(0));
	}

	@Test
	void theAllocationAndItsPermissionsAreRefreshedBeforeTheyRunOut() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS.withLifetime(Duration.ofSeconds(4)))) {
			assertThat(allocation.lifetime()).isEqualTo(Duration.ofSeconds(4));
			// Refreshed a quarter of the lifetime early, on the daemon thread.
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(6))
				.until(() -> this.server.requests(StunMethod.REFRESH).size() >= 1);
			assertThat(this.server.requests(StunMethod.REFRESH).get(0).attribute(StunAttribute.Lifetime.class))
				.contains(new StunAttribute.Lifetime(4));
			assertThat(allocation.refreshFailure()).isEmpty();
		}
	}

	@Test
	void anIpv6RelayIsAskedForWithRequestedAddressFamily() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.tcpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.TCP, java.net.StandardProtocolFamily.INET6, OPTIONS)) {
			assertThat(allocation.relayedAddress()).isEqualTo(FakeTurnServer.RELAYED_IPV6);
		}
		java.util.List<StunMessage> allocates = this.server.requests(StunMethod.ALLOCATE);
		StunMessage allocate = allocates.get(allocates.size() - 1);
		assertThat(allocate.attribute(StunAttribute.RequestedAddressFamily.class))
			.contains(new StunAttribute.RequestedAddressFamily(StunAttribute.RequestedAddressFamily.IPV6));
	}

	@Test
	void anIpv4RelayIsAskedForWithoutTheAttributeForServersThatPredateIt() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, java.net.StandardProtocolFamily.INET, OPTIONS)) {
			assertThat(allocation.relayedAddress()).isEqualTo(FakeTurnServer.RELAYED);
		}
		assertThat(this.server.requests(StunMethod.ALLOCATE))
			.allSatisfy((request) -> assertThat(request.attribute(StunAttribute.RequestedAddressFamily.class)).isEmpty());
	}

	@Test
	void aServerWithoutIpv6RelaysRefusesWith440() {
		this.server.refusesIpv6 = true;
		assertThatExceptionOfType(TurnException.class)
			.isThrownBy(() -> TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
					TurnAllocation.RelayTransport.UDP, java.net.StandardProtocolFamily.INET6, OPTIONS))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(TurnException.ADDRESS_FAMILY_NOT_SUPPORTED))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NatErrorKind.UNSUPPORTED_OPERATION));
	}

	@Test
	void aRelayOfTheOtherFamilyIsRefusedAndReleased() {
		this.server.ignoresAddressFamily = true;
		assertThatExceptionOfType(NatException.class)
			.isThrownBy(() -> TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
					TurnAllocation.RelayTransport.UDP, java.net.StandardProtocolFamily.INET6, OPTIONS))
			.withMessageContaining("when asked for an IPv6 relay");
		// Released at once rather than left to expire on the server.
		assertThat(this.server.requests(StunMethod.REFRESH))
			.anySatisfy((refresh) -> assertThat(refresh.attribute(StunAttribute.Lifetime.class))
				.contains(new StunAttribute.Lifetime(0)));
	}

	@Test
	void aStaleNonceIsReplacedAndTheRequestRepeated() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			this.server.staleNext.set(1);
			allocation.createPermission(PEER.getAddress());
			assertThat(this.server.requests(StunMethod.CREATE_PERMISSION)).hasSize(2);
			assertThat(this.server.requests(StunMethod.CREATE_PERMISSION).get(0).attribute(StunAttribute.Nonce.class))
				.isNotEqualTo(this.server.requests(StunMethod.CREATE_PERMISSION).get(1).attribute(StunAttribute.Nonce.class));
		}
	}

	@Test
	void aServerThatNeverAcceptsItsOwnNonceIsGivenUpOn() throws Exception {
		this.server.staleNext.set(100);
		assertThatExceptionOfType(NatException.class)
			.isThrownBy(() -> TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
					TurnAllocation.RelayTransport.UDP, OPTIONS))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NatErrorKind.PROTOCOL_ERROR));
		assertThat(this.server.requests(StunMethod.ALLOCATE)).hasSize(4);
	}

	@Test
	void wrongCredentialsAreATypedErrorThatNeverShowsThePassword() {
		TurnCredentials wrong = TurnCredentials.of(FakeTurnServer.USER, "not-the-password");
		assertThatExceptionOfType(TurnException.class)
			.isThrownBy(() -> TurnAllocation.allocate(this.server.udpServer(), wrong, TurnAllocation.RelayTransport.UDP,
					OPTIONS))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(401);
				assertThat(ex.kind()).isEqualTo(NatErrorKind.NOT_AUTHORIZED);
				assertThat(ex.getMessage()).contains("alice").doesNotContain("not-the-password");
			});
		assertThat(wrong.toString()).doesNotContain("not-the-password");
	}

	@Test
	void aServersReasonPhraseCannotForgeALogLine() {
		assertThat(TurnControl.printable("Forbidden\n2026-12-02 INFO fake line\u001b[31m"))
			.isEqualTo("Forbidden?2026-12-02 INFO fake line?[31m");
	}

	@Test
	void aForgedUnsignedSuccessAnswerIsIgnored() throws Exception {
		this.server.forgeUnsignedSuccess = true;
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			assertThat(allocation.relayedAddress()).isEqualTo(FakeTurnServer.RELAYED);
			assertThat(allocation.lifetime()).isEqualTo(Duration.ofMinutes(10));
		}
	}

	@Test
	void aSilentServerFailsWithinTheTimeoutAndRetransmitsOverUdp() {
		this.server.silent = true;
		long start = System.nanoTime();
		assertThatExceptionOfType(NatException.class)
			.isThrownBy(() -> TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
					TurnAllocation.RelayTransport.UDP, TurnOptions.defaults().withTimeout(Duration.ofMillis(900))))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NatErrorKind.NO_RESPONSE));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(850), Duration.ofMillis(2000));
		// At 0, 250 and 750 ms: three sends of one request.
		assertThat(this.server.received).hasValue(3);
	}

	@Test
	void closingWhenTheServerHasVanishedTakesNoLongerThanTheTimeout() throws Exception {
		TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, TurnOptions.defaults().withTimeout(Duration.ofMillis(500)));
		this.server.silent = true;
		long start = System.nanoTime();
		allocation.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
	}

	@Test
	void datagramsGoInSendIndicationsUntilAChannelIsBoundThenAsChannelData() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			allocation.createPermission(PEER.getAddress());
			allocation.send(PEER, "one".getBytes(StandardCharsets.UTF_8));
			Optional<TurnDatagram> first = allocation.receive(Duration.ofSeconds(2));
			assertThat(first).map((datagram) -> new String(datagram.data(), StandardCharsets.UTF_8)).contains("echo:one");
			assertThat(first.get().peer()).isEqualTo(PEER);
			int channel = allocation.bindChannel(PEER);
			assertThat(channel).isEqualTo(0x4000);
			assertThat(allocation.bindChannel(PEER)).isEqualTo(channel);
			allocation.send(PEER, "two".getBytes(StandardCharsets.UTF_8));
			Optional<TurnDatagram> second = allocation.receive(Duration.ofSeconds(2));
			assertThat(second).map((datagram) -> new String(datagram.data(), StandardCharsets.UTF_8)).contains("echo:two");
			assertThat(second.get().peer()).isEqualTo(PEER);
			assertThat(this.server.requests(StunMethod.SEND)).hasSize(1);
			assertThat(this.server.requests(StunMethod.CHANNEL_BIND)).hasSize(1);
			assertThat(allocation.receive(Duration.ofMillis(50))).isEmpty();
		}
	}

	@Test
	void overTcpFramesArriveWholeWhenTheServerWritesThemOneOctetAtATime() throws Exception {
		this.server.trickle = true;
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.tcpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.TCP, OPTIONS)) {
			assertThat(allocation.relayedAddress()).isEqualTo(FakeTurnServer.RELAYED);
			assertThat(allocation.connect(PEER)).isEqualTo(0x1234);
			assertThat(this.server.requests(StunMethod.ALLOCATE).get(1).attribute(StunAttribute.RequestedTransport.class))
				.contains(new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.TCP));
		}
	}

	@Test
	void aUdpChannelOverTcpIsPaddedToFourOctets() throws Exception {
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.tcpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			allocation.bindChannel(PEER);
			allocation.send(PEER, "x".getBytes(StandardCharsets.UTF_8));
			assertThat(allocation.receive(Duration.ofSeconds(2)))
				.map((datagram) -> new String(datagram.data(), StandardCharsets.UTF_8))
				.contains("echo:x");
		}
	}

	@Test
	void anRfc8489ServerGetsTheSha256KeyAndMessageIntegritySha256() throws Exception {
		this.server.rfc8489 = true;
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			assertThat(allocation.relayedAddress()).isEqualTo(FakeTurnServer.RELAYED);
		}
		StunMessage signed = this.server.requests(StunMethod.ALLOCATE).get(1);
		assertThat(signed.attribute(StunAttribute.PasswordAlgorithm.class))
			.contains(new StunAttribute.PasswordAlgorithm(StunAttribute.PasswordAlgorithm.SHA256));
		assertThat(signed.attribute(StunAttribute.PasswordAlgorithms.class)).isPresent();
		assertThat(signed.attribute(StunAttribute.MessageIntegritySha256.class)).isPresent();
		byte[] raw = this.server.rawRequests.get(1);
		assertThat(StunCodec.checkIntegrity(raw, StunCredentials.longTerm(FakeTurnServer.USER, FakeTurnServer.REALM,
				FakeTurnServer.PASSWORD, StunAttribute.PasswordAlgorithm.SHA256, StunCredentials.Integrity.SHA256)))
			.isEqualTo(StunCodec.IntegrityCheck.VALID);
	}

	@Test
	void aTcpRelayNeedsTcpToTheServerAndUdpOperationsNeedAUdpRelay() throws Exception {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> TurnAllocation
			.allocate(this.server.udpServer(), CREDENTIALS, TurnAllocation.RelayTransport.TCP, OPTIONS));
		try (TurnAllocation allocation = TurnAllocation.allocate(this.server.udpServer(), CREDENTIALS,
				TurnAllocation.RelayTransport.UDP, OPTIONS)) {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> allocation.connect(PEER));
			assertThat(allocation.toString()).doesNotContain(FakeTurnServer.PASSWORD);
		}
	}

}
