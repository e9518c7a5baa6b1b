package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A router behind carrier-grade NAT (its own external address is 100.64.0.1, as miniupnpd's in the lab with
 * {@code --wan cgnat}) refuses every mapping. Whichever protocol maps, what any protocol said of its address tells
 * the engine that another NAT sits in front of it: in the default mode, PCP wins the race and refuses, and
 * NAT-PMP, not asked during discovery because PCP answered, is asked for the address then; in mode pcp, the
 * refusal itself names it.
 */
class BehindAnotherNatTests {

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final List<GatewayInfo> changes = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void inModeAnyNatPmpIsAskedForTheAddressWhenPcpRefuses() throws Exception {
		FakeNatRouter router = carrierGradeRouter(false);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(spec());
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.gatewayInfo().isBehindAnotherNat());
		GatewayInfo info = engine.gatewayInfo();
		assertThat(info.protocol()).hasToString("PCP");
		assertThat(info.externalAddress()).isEqualTo(InetAddress.getByName("100.64.0.1"));
		assertThat(AddressScope.of(info.externalAddress())).isEqualTo(AddressScope.SHARED);
		await().atMost(Duration.ofSeconds(2)).until(() -> engine.mapping("server").orElseThrow().lastError() != null);
		assertThat(engine.mapping("server").orElseThrow().lastError().kind()).isEqualTo(NatErrorKind.NO_RESOURCES);
		assertThat(this.changes).hasSize(1).first().satisfies((change) -> assertThat(change.isBehindAnotherNat()).isTrue());
	}

	@Test
	void inModePcpTheRefusalNamesTheRoutersAddress() throws Exception {
		FakeNatRouter router = carrierGradeRouter(true);
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec());
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.gatewayInfo().isBehindAnotherNat());
		assertThat(engine.gatewayInfo().externalAddress()).isEqualTo(InetAddress.getByName("100.64.0.1"));
		assertThat(router.pmpMapRequests.get()).isZero();
		assertThat(this.changes).hasSize(1);
	}

	@Test
	void aRefusalThatOnlyCopiesTheRequestSaysNothingOfTheAddress() throws Exception {
		FakeNatRouter router = carrierGradeRouter(false);
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec());
		await().atMost(Duration.ofSeconds(2)).until(() -> engine.mapping("server").orElseThrow().failures() > 1);
		// 0.0.0.0 copied back from the request is not the router saying it has no address.
		assertThat(engine.gatewayInfo().externalAddress()).isNull();
		assertThat(this.changes).isEmpty();
	}

	private FakeNatRouter carrierGradeRouter(boolean refusalNamesExternal) throws Exception {
		FakeNatRouter router = new FakeNatRouter(true, true);
		router.external = InetAddress.getByName("100.64.0.1");
		router.pcpRefusal = PcpResultCode.NO_RESOURCES;
		router.refusalNamesExternal = refusalNamesExternal;
		this.resources.add(router);
		return router;
	}

	private MappingEngine engine(NatMode mode) {
		MappingEngine engine = TestEngines.fastBuilder(mode).announcementPort(0).listener(new MappingListener() {

			@Override
			public void behindAnotherNatChanged(GatewayInfo gateway) {
				BehindAnotherNatTests.this.changes.add(gateway);
			}

		}).build();
		this.resources.add(0, engine);
		return engine;
	}

	private static MappingSpec spec() {
		return new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test");
	}

}
