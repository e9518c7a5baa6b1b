package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.stun.FakeStunServer;
import dev.natboot.core.stun.NatType;
import dev.natboot.core.stun.StunServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine with STUN: the external address in mode stun, periodic checks, and a router whose external address is
 * not the one the world sees.
 */
class StunEngineTests {

	private final FakeStunServer stun = new FakeStunServer();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final List<StunObservation> checks = new CopyOnWriteArrayList<>();

	private final List<GatewayInfo> mismatches = new CopyOnWriteArrayList<>();

	private final List<Mapping> changed = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeEverything() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.stun.close();
	}

	@Test
	void inModeStunTheExternalAddressIsTheOneTheServerSeesAndFollowsItsChanges() throws Exception {
		StunServer server = new StunServer("127.0.0.1", this.stun.primary().getPort());
		MappingEngine engine = engine(TestEngines.fastBuilder(new NatMode(NatMode.Kind.STUN, null, null, server)));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> engine.mapping("server")
			.filter((mapping) -> mapping.state() == MappingState.ACTIVE)
			.isPresent());
		Mapping mapping = engine.mapping("server").orElseThrow();
		assertThat(mapping.protocol()).isEqualTo(NatProtocol.STUN);
		assertThat(mapping.externalEndpoint()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
		assertThat(engine.stunObservation()).get().extracting(StunObservation::natType).isEqualTo(NatType.OPEN_INTERNET);

		this.stun.reportedAddress = new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 40000);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !this.changed.isEmpty());
		assertThat(engine.mapping("server").orElseThrow().externalEndpoint())
			.isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 8080));
		assertThat(this.checks).hasSizeGreaterThanOrEqualTo(2);
		assertThat(this.mismatches).isEmpty();
	}

	@Test
	void aRouterWhoseAddressTheWorldDoesNotSeeIsBehindAnotherNat() throws Exception {
		FakeNatRouter router = new FakeNatRouter(true, false);
		this.resources.add(router);
		MappingEngine engine = engine(TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
			.stunServers(List.of(new StunServer("127.0.0.1", this.stun.primary().getPort()))));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !this.mismatches.isEmpty());
		GatewayInfo info = engine.gatewayInfo();
		assertThat(info.externalAddress()).isEqualTo(FakeNatRouter.EXTERNAL);
		assertThat(info.stunAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
		assertThat(info.isStunMismatch()).isTrue();
		assertThat(info.isBehindAnotherNat()).isTrue();
		assertThat(this.mismatches).singleElement().satisfies((mismatch) -> assertThat(mismatch.isStunMismatch()).isTrue());

		this.stun.reportedAddress = new InetSocketAddress(FakeNatRouter.EXTERNAL, 40000);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.mismatches.size() == 2);
		assertThat(this.mismatches.get(1).isStunMismatch()).isFalse();
		assertThat(engine.gatewayInfo().isBehindAnotherNat()).isFalse();
	}

	@Test
	void aFailedCheckIsReportedAndTheLastGoodAddressIsKept() throws Exception {
		FakeNatRouter router = new FakeNatRouter(true, false);
		this.resources.add(router);
		this.stun.reportedAddress = new InetSocketAddress(FakeNatRouter.EXTERNAL, 40000);
		MappingEngine engine = engine(TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
			.stunServers(List.of(new StunServer("127.0.0.1", this.stun.primary().getPort()))));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !this.checks.isEmpty());
		this.stun.dropNext.set(1000);
		Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> this.checks.stream().anyMatch((c) -> !c.succeeded()));
		assertThat(engine.stunObservation()).get().satisfies((last) -> assertThat(last.failure()).isNotNull());
		assertThat(engine.gatewayInfo().stunAddress()).isEqualTo(FakeNatRouter.EXTERNAL);
		assertThat(engine.gatewayInfo().isBehindAnotherNat()).isFalse();
	}

	private MappingEngine engine(MappingEngineBuilder builder) {
		MappingEngine engine = builder.stunCheckInterval(Duration.ofMillis(300))
			.stunRetransmission(new Retransmission(Duration.ofMillis(30), Duration.ofMillis(100), 3))
			.listener(new MappingListener() {

				@Override
				public void stunChecked(StunObservation previous, StunObservation current) {
					StunEngineTests.this.checks.add(current);
				}

				@Override
				public void behindAnotherNatChanged(GatewayInfo gateway) {
					StunEngineTests.this.mismatches.add(gateway);
				}

				@Override
				public void mappingChanged(Mapping previous, Mapping current) {
					StunEngineTests.this.changed.add(current);
				}

			})
			.build();
		this.resources.add(0, engine);
		return engine;
	}

}
