package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.gateway.GatewayDiscovery.DefaultRoute;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RouterCandidatesTests {

	private final List<DefaultRoute> routes = List.of(route("10.9.0.1", "wg0", 50), route("192.168.1.1", "eth0", 100));

	@Test
	void everyDefaultRouteIsACandidateBestMetricFirst() throws Exception {
		assertThat(RouterCandidates.of(NatMode.ANY, () -> this.routes, null)).isEqualTo(this.routes);
	}

	@Test
	void theInterfacePinsItsRoute() throws Exception {
		assertThat(RouterCandidates.of(NatMode.ANY, () -> this.routes, "eth0")).containsExactly(this.routes.get(1));
	}

	@Test
	void aPinnedInterfaceWithoutARouteNamesTheProperty() {
		assertThatExceptionOfType(NatException.class)
			.isThrownBy(() -> RouterCandidates.of(NatMode.ANY, () -> this.routes, "eth1"))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NatErrorKind.NO_GATEWAY))
			.withMessageContaining("No default IPv4 route on interface eth1 (nat.interface)")
			.withMessageContaining("10.9.0.1 on wg0 (metric 50), 192.168.1.1 on eth0 (metric 100)");
	}

	@Test
	void aConfiguredGatewayIsTheOnlyCandidate() throws Exception {
		NatMode mode = new NatMode(NatMode.Kind.PCP, new InetSocketAddress("192.0.2.1", 5351), null);
		assertThat(RouterCandidates.of(mode, () -> {
			throw new AssertionError("the routing table is not read when the mode names the router");
		}, "eth0")).extracting(DefaultRoute::gateway).containsExactly(InetAddress.getByName("192.0.2.1"));
	}

	@Test
	void noDefaultRouteSaysWhatToConfigure() {
		assertThatExceptionOfType(NatException.class).isThrownBy(() -> RouterCandidates.of(NatMode.ANY, List::of, null))
			.withMessageContaining("set nat.mode to pcp:GATEWAY");
	}

	private static DefaultRoute route(String gateway, String networkInterface, long metric) {
		try {
			return new DefaultRoute(InetAddress.getByName(gateway), networkInterface, metric);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
