package dev.natboot.core.mapping;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.gateway.Ipv6Host;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * IPv6 pinholes against a fake PCP firewall on [::1]: opened for the host's stable address, kept beside the IPv4
 * mapping without touching it, followed when the address goes and comes back, released at close.
 */
class PinholeTests {

	private static final Inet6Address LOOPBACK = (Inet6Address) FakeNatRouter.IPV6_LOOPBACK;

	private static final Ipv6Host.Ipv6Route ROUTE = new Ipv6Host.Ipv6Route(LOOPBACK, "lo");

	private static final MappingSpec SERVER = new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(10),
			"test");

	private final AtomicReference<Optional<Inet6Address>> stable = new AtomicReference<>(Optional.of(LOOPBACK));

	private FakeNatRouter firewall;

	private MappingEngine engine;

	@AfterEach
	void close() {
		if (this.engine != null) {
			this.engine.close();
		}
		if (this.firewall != null) {
			this.firewall.close();
		}
	}

	@Test
	void pinholeOpensTheStableAddressAndIsReleased() throws Exception {
		this.firewall = FakeNatRouter.ipv6Firewall();
		this.engine = engine(this.firewall.modeAtBoundAddress(NatMode.Kind.PCP));
		assertThat(this.engine.opensIpv6Pinholes()).isTrue();
		this.engine.add(SERVER.ipv6("server-ipv6"));
		Mapping pinhole = awaitActive("server-ipv6");
		assertThat(pinhole.externalAddress()).isEqualTo(LOOPBACK);
		assertThat(pinhole.externalPort()).isEqualTo(8080);
		assertThat(pinhole.spec().family()).isEqualTo(StandardProtocolFamily.INET6);
		assertThat(this.firewall.mappings).containsKey("TCP/8080");
		assertThat(this.engine.externalAddress()).as("a pinhole's address is not the router's").isEmpty();
		assertThat(this.engine.close(Duration.ofSeconds(2))).isTrue();
		assertThat(this.firewall.mappings).isEmpty();
	}

	@Test
	void pinholeFollowsTheStableAddress() throws Exception {
		this.firewall = FakeNatRouter.ipv6Firewall();
		this.engine = engine(this.firewall.modeAtBoundAddress(NatMode.Kind.PCP));
		this.engine.add(SERVER.ipv6("server-ipv6"));
		awaitActive("server-ipv6");
		// The prefix goes away (renumbering): the pinhole cannot be kept for an address this host lost.
		this.stable.set(Optional.empty());
		await().atMost(Duration.ofSeconds(3)).until(() -> this.engine.mapping("server-ipv6").orElseThrow().lastError() != null);
		assertThat(this.engine.mapping("server-ipv6").orElseThrow().lastError().kind()).isEqualTo(NatErrorKind.NO_GATEWAY);
		// It comes back: opened again, for it.
		this.stable.set(Optional.of(LOOPBACK));
		await().atMost(Duration.ofSeconds(3)).until(() -> this.engine.mapping("server-ipv6").orElseThrow().isActive());
	}

	@Test
	void modesWithoutPinholesRefuseAnIpv6Mapping() {
		this.engine = TestEngines.fastBuilder(new NatMode(NatMode.Kind.PMP, new InetSocketAddress(LOOPBACK, 1), null))
			.build();
		assertThat(this.engine.opensIpv6Pinholes()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> this.engine.add(SERVER.ipv6("server-ipv6")))
			.withMessageContaining("IPv6 pinhole");
	}

	@Test
	void aFakeIpv4RouterOnLoopbackMeansATestAndNoPinholes() throws Exception {
		try (FakeNatRouter router = new FakeNatRouter(true, true)) {
			this.engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.ANY))
				.ipv6Discovery(() -> Optional.of(ROUTE), (name) -> this.stable.get())
				.build();
			assertThat(this.engine.opensIpv6Pinholes()).isFalse();
		}
	}

	@Test
	void noRouteOrNoStableAddressMeansNoPinholes() throws Exception {
		this.firewall = FakeNatRouter.ipv6Firewall();
		this.engine = TestEngines.fastBuilder(this.firewall.modeAtBoundAddress(NatMode.Kind.ANY))
			.ipv6Discovery(Optional::empty, (name) -> this.stable.get())
			.build();
		assertThat(this.engine.opensIpv6Pinholes()).isFalse();
		this.stable.set(Optional.empty());
		MappingEngine other = TestEngines.fastBuilder(this.firewall.modeAtBoundAddress(NatMode.Kind.ANY))
			.ipv6Discovery(() -> Optional.of(ROUTE), (name) -> this.stable.get())
			.build();
		try (other) {
			assertThat(other.opensIpv6Pinholes()).isFalse();
		}
	}

	@Test
	void aLoopbackIpv4RouterKeepsThisHostsIpv6RouterUnasked() throws Exception {
		this.firewall = FakeNatRouter.ipv6Firewall();
		try (FakeNatRouter router = new FakeNatRouter(true, false)) {
			// The IPv4 router is named by the mode; the IPv6 firewall is the default IPv6 route's router.
			this.engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
				.ipv6Discovery(() -> Optional.of(ROUTE), (name) -> this.stable.get())
				.build();
			// A loopback IPv4 router marks a test: no pinholes from this engine, the IPv4 mapping unchanged.
			this.engine.add(SERVER);
			Mapping server = awaitActive("server");
			assertThat(server.externalAddress()).isEqualTo(FakeNatRouter.EXTERNAL);
			assertThat(this.firewall.requests).isEmpty();
		}
	}

	@Test
	void stunIsAskedOverIpv6FromThePinholesAddress() throws Exception {
		this.firewall = FakeNatRouter.ipv6Firewall();
		try (Ipv6StunResponder stun = new Ipv6StunResponder(null)) {
			this.engine = engineAskingStun(stun.server());
			this.engine.add(SERVER.ipv6("server-ipv6"));
			awaitActive("server-ipv6");
			await().atMost(Duration.ofSeconds(3)).until(() -> this.engine.ipv6StunObservation().isPresent());
			StunObservation seen = this.engine.ipv6StunObservation().orElseThrow();
			assertThat(seen.publicAddress()).isEqualTo(LOOPBACK);
			assertThat(stun.sources).allSatisfy((source) -> assertThat(source.getAddress()).isEqualTo(LOOPBACK));
			// The IPv4 check never asks an IPv6-only server: its answer would say nothing of the IPv4 NAT.
			assertThat(this.engine.gatewayInfo().stunAddress()).isNull();
		}
	}

	@Test
	void aPrefixTranslationInFrontIsSeenByTheIpv6StunCheck() throws Exception {
		this.firewall = FakeNatRouter.ipv6Firewall();
		InetAddress translated = InetAddress.getByName("2001:db8:99::10");
		try (Ipv6StunResponder stun = new Ipv6StunResponder(translated)) {
			this.engine = engineAskingStun(stun.server());
			await().atMost(Duration.ofSeconds(3)).until(() -> this.engine.ipv6StunObservation().isPresent());
			assertThat(this.engine.ipv6StunObservation().orElseThrow().publicAddress()).isEqualTo(translated);
		}
	}

	/** A PCP firewall engine that asks a STUN server and has started finding the firewall. */
	private MappingEngine engineAskingStun(StunServer server) {
		MappingEngine engine = TestEngines.fastBuilder(this.firewall.modeAtBoundAddress(NatMode.Kind.PCP))
			.ipv6Discovery(() -> Optional.of(ROUTE), (name) -> this.stable.get())
			.stunServers(List.of(server))
			.build();
		engine.discoverIpv6();
		return engine;
	}

	private MappingEngine engine(NatMode mode) {
		return TestEngines.fastBuilder(mode)
			.ipv6Discovery(() -> Optional.of(ROUTE), (name) -> this.stable.get())
			.ipv6AddressCheckInterval(Duration.ofMillis(100))
			.build();
	}

	/** A STUN server on [::1] that answers Binding with the sender's address, or with a translated one. */
	private static final class Ipv6StunResponder implements AutoCloseable {

		final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();

		private final DatagramSocket socket;

		Ipv6StunResponder(@Nullable InetAddress translated) throws Exception {
			this.socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[1500];
				while (!this.socket.isClosed()) {
					try {
						DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
						this.socket.receive(packet);
						InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
						this.sources.add(from);
						StunMessage request = StunCodec
							.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
						InetSocketAddress seen = (translated != null) ? new InetSocketAddress(translated, from.getPort())
								: from;
						byte[] answer = StunCodec.encode(new StunMessage(
								StunMessageClass.SUCCESS_RESPONSE, request.method(),
								request.transactionId(),
								List.of(new StunAttribute.XorMappedAddress(seen)), true));
						this.socket.send(new DatagramPacket(answer, answer.length, from));
					}
					catch (Exception ex) {
						// Closed, or a datagram that is no STUN request: the next one.
					}
				}
			}, "ipv6-stun");
			thread.setDaemon(true);
			thread.start();
		}

		StunServer server() {
			return new StunServer("::1", this.socket.getLocalPort());
		}

		@Override
		public void close() {
			this.socket.close();
		}

	}

	private Mapping awaitActive(String name) {
		await().atMost(Duration.ofSeconds(3))
			.until(() -> this.engine.mapping(name).map(Mapping::isActive).orElse(false));
		return this.engine.mapping(name).orElseThrow();
	}

}
