package dev.natboot.spring.metrics;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingOperation;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatMetricsTests {

	private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

	/** extip mode: a real engine whose "router" is the configured address, so nothing leaves this JVM. */
	private final MappingEngine engine = MappingEngine.builder()
		.mode(NatMode.of("extip:198.51.100.9"))
		.gatewayDiscovery(() -> {
			throw new AssertionError("tests never look up this machine's real gateway");
		})
		.build();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final NatMetrics metrics = new NatMetrics(this.engine);

	@AfterEach
	void close() {
		this.engine.close();
	}

	@Test
	void timesEachOperationAndTheFirstConfirmation() {
		this.metrics.bindTo(this.registry);
		this.engine.add(spec("server", Transport.TCP, 8080));
		await().atMost(Duration.ofSeconds(2))
			.until(() -> this.registry.find(NatMetrics.CONFIRMATION).timer() != null);
		assertThat(this.registry.get(NatMetrics.OPERATIONS)
			.tags("operation", "create", "protocol", "manual", "transport", "tcp", "outcome", "success")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get(NatMetrics.CONFIRMATION).tags("mapping", "server", "protocol", "manual").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get(NatMetrics.MAPPINGS).tag("state", "active").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get(NatMetrics.MAPPINGS).tag("state", "pending").gauge().value()).isZero();
		assertThat(this.registry.get(NatMetrics.EXTERNAL_PORT).tags("mapping", "server", "transport", "tcp").gauge().value())
			.isEqualTo(8080);
		assertThat(this.registry.get(NatMetrics.CONFIRMED_TIME).tag("mapping", "server").gauge().value())
			.isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(5.0));
		// An address given in the configuration never expires.
		assertThat(this.registry.get(NatMetrics.LEASE_REMAINING).tag("mapping", "server").gauge().value()).isNaN();
	}

	@Test
	void removesTheMetersOfAReleasedMappingAndKeepsTheOthers() {
		this.metrics.bindTo(this.registry);
		this.engine.add(spec("server", Transport.TCP, 8080));
		this.engine.add(spec("game", Transport.UDP, 27015));
		await().atMost(Duration.ofSeconds(2))
			.until(() -> this.registry.find(NatMetrics.EXTERNAL_PORT).gauges().size() == 2);
		this.engine.release("game").orElseThrow().join();
		assertThat(this.registry.find(NatMetrics.EXTERNAL_PORT).tag("mapping", "game").gauges()).isEmpty();
		assertThat(this.registry.find(NatMetrics.LEASE_REMAINING).tag("mapping", "game").gauges()).isEmpty();
		assertThat(this.registry.find(NatMetrics.CONFIRMED_TIME).tag("mapping", "game").gauges()).isEmpty();
		assertThat(this.registry.find(NatMetrics.EXTERNAL_PORT).tag("mapping", "server").gauges()).hasSize(1);
		assertThat(this.registry.get(NatMetrics.MAPPINGS).tag("state", "removed").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get(NatMetrics.OPERATIONS).tags("operation", "remove", "transport", "udp").timer().count())
			.isEqualTo(1);
		// Asked for again: meters come back, and the new request's confirmation is timed too.
		this.engine.remap("game");
		await().atMost(Duration.ofSeconds(2))
			.until(() -> this.registry.find(NatMetrics.EXTERNAL_PORT).tag("mapping", "game").gauge() != null);
		assertThat(this.registry.get(NatMetrics.CONFIRMATION).tag("mapping", "game").timer().count()).isEqualTo(2);
	}

	@Test
	void countsFailuresByTypedErrorWithBoundedTags() {
		this.metrics.bindTo(this.registry);
		NatException refused = new NatException(NatErrorKind.NOT_AUTHORIZED, NatProtocol.UPNP, "refused");
		NatException silent = new NatException(NatErrorKind.NO_RESPONSE, null, "silent");
		this.metrics.recordOperation(new MappingOperation("server", MappingOperation.Kind.CREATE, NatProtocol.UPNP,
				Transport.TCP, Duration.ofMillis(12), refused));
		this.metrics.recordOperation(new MappingOperation("server", MappingOperation.Kind.RENEW, NatProtocol.UPNP,
				Transport.TCP, Duration.ofMillis(12), refused));
		this.metrics.recordOperation(new MappingOperation("server", MappingOperation.Kind.CREATE, null,
				Transport.TCP, Duration.ofSeconds(3), silent));
		assertThat(this.registry.get(NatMetrics.FAILURES).tags("error", "not-authorized", "protocol", "upnp").counters())
			.hasSize(2)
			.allSatisfy((counter) -> assertThat(counter.count()).isEqualTo(1));
		assertThat(this.registry.get(NatMetrics.FAILURES).tags("error", "no-response", "protocol", "none").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get(NatMetrics.OPERATIONS).tag("outcome", "failure").timers()).hasSize(3);
		// No tag carries a mapping name, an address or a message on the per-operation meters.
		assertThat(this.registry.getMeters()).filteredOn((meter) -> meter.getId().getName().equals(NatMetrics.FAILURES))
			.allSatisfy((meter) -> assertThat(meter.getId().getTags()).extracting("key")
				.containsExactlyInAnyOrder("operation", "protocol", "transport", "error"));
	}

	@Test
	void meetsMappingsThatWereConfirmedBeforeTheRegistryWasBound() {
		this.engine.add(spec("server", Transport.TCP, 8080));
		await().atMost(Duration.ofSeconds(2)).until(() -> this.engine.mapping("server").orElseThrow().isActive());
		this.metrics.bindTo(this.registry);
		assertThat(this.registry.get(NatMetrics.EXTERNAL_PORT).tag("mapping", "server").gauge().value()).isEqualTo(8080);
	}

	@Test
	void leaseRemainingCountsDownToZero() {
		Mapping mapping = new Mapping(spec("server", Transport.TCP, 8080), MappingState.ACTIVE, NatProtocol.PCP, null,
				null, 8080, Duration.ofMinutes(2), NOW.plusSeconds(90), NOW, NOW, Duration.ofMillis(8), null, 0, 0,
				null, null);
		assertThat(NatMetrics.leaseRemainingSeconds(mapping, NOW)).isEqualTo(90);
		assertThat(NatMetrics.leaseRemainingSeconds(mapping, NOW.plusMillis(89_500))).isEqualTo(0.5);
		assertThat(NatMetrics.leaseRemainingSeconds(mapping, NOW.plusSeconds(300))).isZero();
	}

	@Test
	void timesStunChecksAndGaugesTheNatType() throws Exception {
		try (DatagramChannel server = DatagramChannel.open(StandardProtocolFamily.INET)) {
			server.bind(new InetSocketAddress("127.0.0.1", 0));
			InetSocketAddress seen = new InetSocketAddress("203.0.113.7", 40000);
			Thread responder = new Thread(() -> answerBindings(server, seen), "fake-stun");
			responder.setDaemon(true);
			responder.start();
			try (MappingEngine stunEngine = MappingEngine.builder()
				.mode(NatMode.of("extip:198.51.100.9"))
				.gatewayDiscovery(() -> {
					throw new AssertionError("tests never look up this machine's real gateway");
				})
				.stunServers(List.of(StunServer.parse("127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort())))
				.stunBehaviorDiscovery(false)
				.build()) {
				NatMetrics stunMetrics = new NatMetrics(stunEngine);
				stunMetrics.bindTo(this.registry);
				assertThat(this.registry.get(NatMetrics.STUN_MISMATCH).gauge().value()).isNaN();
				stunEngine.add(spec("server", Transport.TCP, 8080));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> this.registry.find(NatMetrics.STUN_CHECKS).timer() != null);
				assertThat(this.registry.get(NatMetrics.STUN_CHECKS)
					.tags("transport", "udp", "outcome", "success")
					.timer()
					.count()).isEqualTo(1);
				// No router reports an address in extip mode: nothing to compare the STUN-observed one with.
				assertThat(this.registry.get(NatMetrics.STUN_MISMATCH).gauge().value()).isNaN();
				assertThat(this.registry.get(NatMetrics.STUN_NAT_TYPE).tag("type", "unknown").gauge().value()).isEqualTo(1);
				assertThat(this.registry.get(NatMetrics.STUN_NAT_TYPE).tag("type", "port-restricted-cone").gauge().value())
					.isZero();
			}
		}
	}

	@Test
	void countsStunChecksThatNoServerAnswers() {
		try (MappingEngine stunEngine = MappingEngine.builder()
			.mode(NatMode.of("extip:198.51.100.9"))
			.gatewayDiscovery(() -> {
				throw new AssertionError("tests never look up this machine's real gateway");
			})
			.stunServers(List.of(StunServer.parse("127.0.0.1:9")))
			.stunRetransmission(new Retransmission(Duration.ofMillis(20), Duration.ofMillis(40), 2))
			.build()) {
			NatMetrics stunMetrics = new NatMetrics(stunEngine);
			stunMetrics.bindTo(this.registry);
			stunEngine.add(spec("server", Transport.TCP, 8080));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.registry.find(NatMetrics.STUN_CHECKS).timer() != null);
			assertThat(this.registry.get(NatMetrics.STUN_CHECKS)
				.tags("transport", "udp", "outcome", "no-response")
				.timer()
				.count()).isEqualTo(1);
			assertThat(this.registry.get(NatMetrics.STUN_MISMATCH).gauge().value()).isNaN();
			assertThat(this.registry.get(NatMetrics.STUN_NAT_TYPE).tag("type", "unknown").gauge().value()).isNaN();
		}
	}

	/** A STUN server that tells every client it is at {@code seen}. */
	private static void answerBindings(DatagramChannel server, InetSocketAddress seen) {
		ByteBuffer buffer = ByteBuffer.allocate(StunCodec.MAX_MESSAGE_LENGTH);
		try {
			while (true) {
				buffer.clear();
				InetSocketAddress client = (InetSocketAddress) server.receive(buffer);
				buffer.flip();
				byte[] datagram = new byte[buffer.remaining()];
				buffer.get(datagram);
				StunMessage request = StunCodec.decode(datagram);
				StunMessage answer = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, request.method(),
						request.transactionId(), List.of(new StunAttribute.XorMappedAddress(seen)), true);
				server.send(ByteBuffer.wrap(StunCodec.encode(answer)), client);
			}
		}
		catch (Exception ex) {
			// Closed at the end of the test.
		}
	}

	private static MappingSpec spec(String name, Transport transport, int port) {
		return new MappingSpec(name, transport, port, 0, Duration.ofMinutes(2), "test");
	}

}
