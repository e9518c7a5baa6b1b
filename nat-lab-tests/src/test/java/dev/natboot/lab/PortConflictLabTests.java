package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Matcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * External ports the app cannot have: a router whose rules allow only a few, and another app behind the same
 * router asking for the same one. The app must end up reachable on a port the router does allow, and never
 * take another app's port.
 */
class PortConflictLabTests {

	/** Two JVMs on two cores: the second app's first answer may come late, though it comes. */
	private static final Duration FIRST_ANSWER = Duration.ofSeconds(20);

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	/**
	 * Through UPnP. miniupnpd 2.3.1 also serves PCP and NAT-PMP under such rules, but spends about 10 s of CPU
	 * on every such request before it answers (see docs/benchmarks.md), so those are not part of this test.
	 */
	@ParameterizedTest(name = "router {0} allowing 20000-20010, nat.mode={1}")
	@CsvSource({ "upnp-only, upnp, UPnP", "upnp-only, any, UPnP", "all, upnp, UPnP" })
	void getsAPortTheRoutersRulesAllow(String router, String mode, String protocol) throws Exception {
		try (Lab lab = Lab.up(router, "--allow", "20000-20010");
				SampleApp app = SampleApp.start(lab, "--nat.mode=" + mode)) {
			Matcher reachable = app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			assertThat(reachable.group(4)).isEqualTo(protocol);
			int port = Integer.parseInt(reachable.group(3));
			assertThat(port).isBetween(20000, 20010);
			lab.awaitFromInternet(Lab.ROUTER_WAN, port, "Hello from the natboot sample app", FIRST_ANSWER);
			app.stop(Duration.ofSeconds(20));
			assertThat(lab.forwardingRules()).doesNotContain("dport " + port + " ");
		}
	}

	@ParameterizedTest(name = "router {0}, nat.mode={1}: two apps asking for external port 9000")
	@CsvSource({ "upnp-only, upnp", "upnp-only, any", "all, pmp" })
	void twoAppsBehindOneRouterBothGetAPort(String router, String mode) throws Exception {
		try (Lab lab = Lab.up(router);
				SampleApp first = SampleApp.start(lab, "--nat.mode=" + mode, "--server.port=8080",
						"--nat.server.external-port=9000")) {
			Matcher firstMapped = first.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			try (SampleApp second = SampleApp.start(lab, "--nat.mode=" + mode, "--server.port=8081",
					"--nat.server.external-port=9000")) {
				Matcher secondMapped = second.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
				int firstPort = Integer.parseInt(firstMapped.group(3));
				int secondPort = Integer.parseInt(secondMapped.group(3));
				assertThat(firstPort).isEqualTo(9000);
				assertThat(secondPort).isNotEqualTo(9000).isGreaterThanOrEqualTo(1024);
				lab.awaitFromInternet(Lab.ROUTER_WAN, firstPort, "server: 8080/TCP ACTIVE", FIRST_ANSWER);
				lab.awaitFromInternet(Lab.ROUTER_WAN, secondPort, "server: 8081/TCP ACTIVE", FIRST_ANSWER);
				assertThat(lab.forwardingRules()).contains("dport 9000 dnat ip to " + Lab.LAN_HOST + ":8080")
					.contains("dport " + secondPort + " dnat ip to " + Lab.LAN_HOST + ":8081");
				second.stop(Duration.ofSeconds(20));
			}
			// The first app's mapping was neither taken nor removed by the second.
			assertThat(lab.forwardingRules()).contains("dport 9000 dnat ip to " + Lab.LAN_HOST + ":8080");
			first.stop(Duration.ofSeconds(20));
			assertThat(lab.forwardingRules()).doesNotContain("dnat");
		}
	}

}
