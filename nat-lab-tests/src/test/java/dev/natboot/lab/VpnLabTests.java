package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LAN host with a full-tunnel VPN ({@code natlab up --vpn}): its default route through the VPN has a better
 * metric than the LAN's, and nothing answers behind it. The router on the LAN must still be found, and the choice
 * said; {@code nat.interface} pins it either way.
 */
class VpnLabTests {

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void defaultsFindTheRouterBehindTheWorseRoute() throws Exception {
		try (Lab lab = Lab.up("all", "--vpn"); SampleApp app = SampleApp.start(lab)) {
			assertThat(lab.exec("lan", "ip", "route", "show", "default").output()).contains("via 10.9.0.1",
					"metric 50");
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(5)).isEqualTo(Lab.LAN_ROUTER);
			assertThat(app.log()).contains("Several default routes: mapping on the router 192.0.2.1 on "
					+ lab.lanInterface() + " (metric 100)", "not on 10.9.0.1 on " + lab.vpnInterface() + " (metric 50)");
			lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
		}
	}

	@Test
	void theInterfacePinsTheRouter() throws Exception {
		try (Lab lab = Lab.up("all", "--vpn");
				SampleApp app = SampleApp.start(lab, "--nat.interface=" + lab.lanInterface())) {
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(5)).isEqualTo(Lab.LAN_ROUTER);
			assertThat(app.log()).doesNotContain("Several default routes");
		}
	}

	@Test
	void pinnedToTheVpnNothingIsMappedAndTheReasonIsSaid() throws Exception {
		try (Lab lab = Lab.up("all", "--vpn");
				SampleApp app = SampleApp.start(lab, "--nat.interface=" + lab.vpnInterface())) {
			String health = lab.awaitFromApp("/actuator/health/nat", "RETRYING", Duration.ofSeconds(30));
			assertThat(health).contains("No port mapping protocol answered");
			app.awaitLog(Pattern.compile("Mapping 'server' \\(8080/TCP\\) failed"), Duration.ofSeconds(10));
			assertThat(lab.forwardingRules()).doesNotContain("8080");
		}
	}

	@Test
	void aPinnedInterfaceWithoutARouteNamesTheProperty() throws Exception {
		try (Lab lab = Lab.up("all", "--vpn"); SampleApp app = SampleApp.start(lab, "--nat.interface=eth7")) {
			String health = lab.awaitFromApp("/actuator/health/nat", "nat.interface", Duration.ofSeconds(30));
			assertThat(health).contains("No default IPv4 route on interface eth7 (nat.interface)");
		}
	}

}
