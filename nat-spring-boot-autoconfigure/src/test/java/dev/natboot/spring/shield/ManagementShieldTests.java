package dev.natboot.spring.shield;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementShieldTests {

	private final LocalNetworks lan = new LocalNetworks() {

		@Override
		protected List<Subnet> subnets() {
			return List.of(new Subnet(address("192.0.2.10"), 24));
		}

	};

	private final ManagementShield shield = new ManagementShield(
			new ManagementPaths("/actuator", List.of("/health"), List.of("/livez")), this.lan, () -> true);

	@Test
	void onlyTheManagementPathsAreShielded() {
		assertThat(this.shield.refuses("/actuator", address("203.0.113.9"), true, List.of())).isTrue();
		assertThat(this.shield.refuses("/actuator/prometheus", address("203.0.113.9"), true, List.of())).isTrue();
		assertThat(this.shield.refuses("/livez", address("203.0.113.9"), true, List.of())).isTrue();
		assertThat(this.shield.refuses("/", address("203.0.113.9"), true, List.of())).isFalse();
		assertThat(this.shield.refuses("/actuators", address("203.0.113.9"), true, List.of())).isFalse();
		assertThat(this.shield.refuses("/api/actuator", address("203.0.113.9"), true, List.of())).isFalse();
	}

	@Test
	void localClientsAreServed() {
		for (String local : List.of("127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.5", "169.254.1.1",
				"fe80::1", "fd00::5", "192.0.2.66")) {
			assertThat(this.shield.refuses("/actuator/health", address(local), true, List.of())).as(local).isFalse();
		}
		for (String outside : List.of("11.22.33.2", "100.64.0.2", "198.51.100.1", "2001:db8::1", "192.0.3.1")) {
			assertThat(this.shield.refuses("/actuator/health", address(outside), true, List.of())).as(outside).isTrue();
		}
		assertThat(this.shield.refuses("/actuator/health", null, true, List.of())).isTrue();
	}

	@Test
	void everyClientAProxyNamesMustBeLocal() {
		InetAddress proxy = address("192.168.1.2");
		assertThat(this.shield.refuses("/actuator", proxy, true, List.of("192.168.1.9"))).isFalse();
		assertThat(this.shield.refuses("/actuator", proxy, true, List.of("192.168.1.9, 203.0.113.9"))).isTrue();
		assertThat(this.shield.refuses("/actuator", proxy, true, List.of("for=192.0.2.60;proto=https, for=\"[2001:db8::7]:4711\"")))
			.isTrue();
		assertThat(this.shield.refuses("/actuator", proxy, true, List.of("For=\"192.168.1.9:4711\";by=x"))).isFalse();
		assertThat(this.shield.refuses("/actuator", proxy, true, List.of("unknown, _hidden"))).isFalse();
		// A server that may have taken its peer from such a header: refused whenever one is there.
		assertThat(this.shield.refuses("/actuator", proxy, false, List.of("192.168.1.9"))).isTrue();
		assertThat(this.shield.refuses("/actuator", proxy, false, List.of())).isFalse();
		assertThat(this.shield.refuses("/actuator", proxy, true, List.of("1".repeat(5000)))).isTrue();
	}

	@Test
	void inactiveWhenNatbootMapsNothing() {
		ManagementShield idle = new ManagementShield(new ManagementPaths("/actuator", List.of(), List.of()), this.lan,
				() -> false);
		assertThat(idle.refuses("/actuator", address("203.0.113.9"), true, List.of())).isFalse();
	}

	@Test
	void pathsAreComparedSegmentBySegment() {
		ManagementPaths paths = new ManagementPaths("/actuator/", List.of(), List.of());
		assertThat(paths.contains("/actuator")).isTrue();
		assertThat(paths.contains("//actuator//health/")).isTrue();
		assertThat(paths.contains("/actuator;jsessionid=1/health")).isTrue();
		assertThat(paths.contains("/a/../actuator/env")).isTrue();
		assertThat(paths.contains("/./actuator")).isTrue();
		assertThat(paths.contains("/actuatorx")).isFalse();
		// With the base path at the root, each endpoint's own path.
		ManagementPaths atRoot = new ManagementPaths("/", List.of("/health", "/nat"), List.of());
		assertThat(atRoot.contains("/health/liveness")).isTrue();
		assertThat(atRoot.contains("/nat")).isTrue();
		assertThat(atRoot.contains("/")).isFalse();
		assertThat(atRoot.contains("/index.html")).isFalse();
	}

	@Test
	void globallyReachableFollowsRfc6890() {
		for (String global : List.of("11.22.33.2", "8.8.8.8", "2606:4700::1")) {
			assertThat(LocalNetworks.isGloballyReachable(address(global))).as(global).isTrue();
		}
		for (String special : List.of("10.0.0.1", "100.64.1.1", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1",
				"240.0.0.1", "0.1.2.3", "fd12::1", "2001:db8::1", "fe80::1")) {
			assertThat(LocalNetworks.isGloballyReachable(address(special))).as(special).isFalse();
		}
	}

	private static InetAddress address(String text) {
		return java.util.Objects.requireNonNull(dev.natboot.core.IpLiteral.parse(text));
	}

}
