package dev.natboot.lab;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real router behind a carrier-grade NAT ({@code natlab up --wan cgnat}: its external address is
 * 100.64.0.1). miniupnpd then refuses every mapping (PCP NO_RESOURCES, NAT-PMP and UPnP failures, an empty
 * UPnP external address); the app must say plainly that it is not reachable from the internet, and never
 * pretend success.
 */
class BehindAnotherNatLabTests {

	private static final String HEALTH = "/actuator/health/nat";

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@ParameterizedTest(name = "nat.mode={0}: behind another NAT in health, endpoint and metric")
	@CsvSource({ "upnp", "pmp" })
	void aRouterWithoutAPublicAddressIsReportedAsBehindAnotherNat(String mode) throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat");
				SampleApp app = SampleApp.start(lab, "--nat.mode=" + mode, "--nat.health.unreachable-status=OUT_OF_SERVICE")) {
			lab.awaitFromApp(HEALTH, "\"behindAnotherNat\":true", Duration.ofSeconds(30));
			String health = lab.getFromApp(HEALTH).output();
			assertThat(health).contains("\"status\":\"OUT_OF_SERVICE\"", "not reachable from the internet",
					"\"state\":\"RETRYING\"");
			assertThat(lab.getFromApp("/actuator/nat").output())
				.contains("\"behindAnotherNat\":true", "not reachable from the internet");
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			assertThat(metrics.value("nat_router_behind_nat")).hasValue(1);
			assertThat(metrics.value("nat_mappings", "state", "active")).hasValue(0);
			assertThat(app.log()).doesNotContain("is reachable at");
		}
	}

	@Test
	void withPcpTheRefusalIsReportedAsItIsAndNothingPretendsSuccess() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat"); SampleApp app = SampleApp.start(lab, "--nat.mode=pcp")) {
			lab.awaitFromApp(HEALTH, "NO_RESOURCES", Duration.ofSeconds(30));
			assertThat(lab.getFromApp(HEALTH).output()).contains("\"status\":\"UNKNOWN\"")
				.doesNotContain("\"status\":\"UP\"");
			assertThat(app.log()).doesNotContain("is reachable at");
		}
	}

}
