package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app in a container on a Docker-style bridge ({@code natlab up --container}): its default gateway is
 * the container host (172.17.0.1), which masquerades it and publishes port 8080 on its LAN address, as
 * {@code docker run -p 8080:8080} does. With the defaults nothing can map, and the app says why and what to do;
 * with the router named in nat.mode (and, for PCP and UPnP, the host's LAN address) it is reachable from the
 * internet through the router and the host's published port. The app on the LAN host itself is host networking,
 * which every other lab test covers.
 */
class ContainerLabTests {

	private static final String HOST_ADDRESS = "--nat.container.host-address=" + Lab.LAN_HOST;

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void defaultsSayTheAppIsBehindAContainerBridgeAndWhatToDo() throws Exception {
		try (Lab lab = Lab.up("all", "--container"); SampleApp app = SampleApp.startOn(lab, "ctr")) {
			String health = lab.awaitFromAppOn("ctr", "/actuator/health/nat", "container bridge", Duration.ofSeconds(30));
			assertThat(health).contains("natboot runs behind a container bridge (Docker's default bridge: the default "
					+ "gateway 172.17.0.1 is the container host, not a router)", "network_mode: host",
					"nat.mode=pmp:ROUTER", "nat.container.host-address");
			app.awaitLog(Pattern.compile("Mapping 'server' \\(8080/TCP\\) failed: natboot runs behind a container bridge"),
					Duration.ofSeconds(10));
			assertThat(lab.forwardingRules()).doesNotContain("8080");
		}
	}

	@ParameterizedTest(name = "nat.mode={0} {1}")
	@CsvSource({ "pmp:192.0.2.1, '', NAT-PMP", "pcp:192.0.2.1, host, PCP", "upnp:192.0.2.1, host, UPnP" })
	void withTheRouterNamedTheContainerIsReachable(String mode, String host, String protocol) throws Exception {
		try (Lab lab = Lab.up("all", "--container");
				SampleApp app = SampleApp.startOn(lab, "ctr", "--nat.mode=" + mode,
						host.isEmpty() ? "--nat.server.description=container" : HOST_ADDRESS)) {
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo(protocol);
			lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
			assertThat(lab.forwardingRules()).contains(Lab.LAN_HOST);
			app.stop(Duration.ofSeconds(10));
			assertThat(lab.forwardingRules()).doesNotContain("8080");
		}
	}

	@Test
	void pcpWithoutTheHostAddressSaysWhatIsMissing() throws Exception {
		try (Lab lab = Lab.up("all", "--container");
				SampleApp app = SampleApp.startOn(lab, "ctr", "--nat.mode=pcp:" + Lab.LAN_ROUTER)) {
			app.awaitLog(Pattern.compile("ADDRESS_MISMATCH \\(the router sees this host's requests come from another "
					+ "address: a NAT between them, such as a container bridge, translates it; nat.container.host-address "
					+ "names the address it sees\\)"), Duration.ofSeconds(30));
		}
	}

	@Test
	void aBadHostAddressFailsTheStartNamingTheProperty() throws Exception {
		try (Lab lab = Lab.up("all", "--container");
				SampleApp app = SampleApp.startOn(lab, "ctr", "--nat.container.host-address=my-host")) {
			app.awaitLog(Pattern.compile("nat.container.host-address"), Duration.ofSeconds(30));
			assertThat(app.log()).contains("APPLICATION FAILED TO START");
		}
	}

}
