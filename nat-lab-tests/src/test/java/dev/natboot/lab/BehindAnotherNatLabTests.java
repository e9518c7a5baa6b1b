package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router behind another NAT, in every mode, the default first. Behind carrier-grade NAT
 * ({@code natlab up --wan cgnat}: its external address is 100.64.0.1) miniupnpd refuses every mapping (PCP
 * NO_RESOURCES, NAT-PMP and UPnP failures), and what any protocol said of its own address must tell the app
 * that it is not reachable from the internet: NAT-PMP's probe during discovery, the address a PCP refusal
 * names, UPnP's GetExternalIPAddress. Behind a double NAT ({@code --wan double}) the router believes it has a
 * public address; only a STUN server sees the truth. Either way health, endpoint, gauge and event say so, and
 * nothing claims success.
 */
class BehindAnotherNatLabTests {

	private static final String HEALTH = "/actuator/health/nat";

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	/**
	 * What miniupnpd says of its own address behind carrier-grade NAT depends on the protocol: its PCP refusal
	 * names 100.64.0.1; NAT-PMP answers NETWORK_FAILURE and UPnP an empty address, which read as "none". The
	 * default mode takes the address where any protocol named one.
	 */
	@ParameterizedTest(name = "carrier-grade NAT, nat.mode={0}: the router's address is {1}")
	@CsvSource({ "any, 100.64.0.1, SHARED", "pcp, 100.64.0.1, SHARED", "pmp, 0.0.0.0, UNSPECIFIED",
			"upnp, 0.0.0.0, UNSPECIFIED" })
	void aRouterBehindCarrierGradeNatIsReportedAsSuch(String mode, String address, String scope) throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat");
				SampleApp app = SampleApp.start(lab, "--nat.mode=" + mode, "--nat.health.unreachable-status=OUT_OF_SERVICE")) {
			lab.awaitFromApp(HEALTH, "\"behindAnotherNat\":true", Duration.ofSeconds(30));
			String health = lab.awaitFromApp(HEALTH, "\"externalAddress\":\"" + address + "\"", Duration.ofSeconds(30));
			assertThat(health).contains("\"status\":\"OUT_OF_SERVICE\"", "not reachable from the internet",
					"\"externalAddressScope\":\"" + scope + "\"", "\"state\":\"RETRYING\"");
			assertThat(lab.getFromApp("/actuator/nat").output())
				.contains("\"behindAnotherNat\":true", "not reachable from the internet");
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			assertThat(metrics.value("nat_router_behind_nat")).hasValue(1);
			assertThat(metrics.value("nat_mappings", "state", "active")).hasValue(0);
			app.awaitLog(Pattern.compile("Event: behind another NAT: the router's own external address is "
					+ "(100\\.64\\.0\\.1|0\\.0\\.0\\.0)"), Duration.ofSeconds(5));
			assertThat(app.log()).containsPattern("The router's own external address is (100\\.64\\.0\\.1 \\(shared "
					+ "address space of carrier-grade NAT|0\\.0\\.0\\.0 \\(unset)").doesNotContain("is reachable at");
		}
	}

	@ParameterizedTest(name = "double NAT, nat.mode={0}")
	@ValueSource(strings = { "any", "pcp", "pmp", "upnp" })
	void aDoubleNatOnlyAStunServerSeesIsReportedAsSuch(String mode) throws Exception {
		try (Lab lab = Lab.up("all", "--stun", "--wan", "double");
				SampleApp app = SampleApp.start(lab, "--nat.mode=" + mode, StunLabTests.STUN_SERVERS,
						"--nat.health.unreachable-status=OUT_OF_SERVICE")) {
			String nat = lab.awaitFromApp("/actuator/nat", "\"matchesRouter\":false", Duration.ofSeconds(30));
			assertThat(nat).contains("\"externalAddress\":\"11.22.34.1\"", "\"publicAddress\":\"11.22.33.1\"",
					"\"behindAnotherNat\":true", "a STUN server sees this host at 11.22.33.1");
			assertThat(lab.getFromApp(HEALTH).output()).contains("\"status\":\"OUT_OF_SERVICE\"",
					"\"matchesRouter\":false", "double NAT or carrier-grade NAT");
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			assertThat(metrics.value("nat_stun_address_mismatch")).hasValue(1);
			assertThat(metrics.value("nat_router_behind_nat")).hasValue(1);
			app.awaitLog(Pattern.compile("Event: behind another NAT: the router says 11\\.22\\.34\\.1, "
					+ "the internet sees 11\\.22\\.33\\.1"), Duration.ofSeconds(5));
			assertThat(app.log()).contains("another NAT (double NAT or carrier-grade NAT) sits in front of the router");
		}
	}

}
