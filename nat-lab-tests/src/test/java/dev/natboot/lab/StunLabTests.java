package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STUN against a real server: coturn on the lab's internet host with two addresses (RFC 5780), the sample app
 * behind each NAT the lab can build, and the app's endpoint, health, metrics and events checked against what the
 * lab really is.
 */
@Isolated("the NAT type is told by answers that do or do not come within timeouts")
class StunLabTests {

	private static final String ENDPOINT = "/actuator/nat";

	static final String STUN_SERVERS = "--nat.stun.servers=11.22.33.2:3478";

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	/**
	 * Linux masquerade: endpoint-independent mapping, address-and-port-dependent filtering (conntrack lets in only
	 * answers from the address and port sent to), no hairpinning. Then the router's rule becomes "masquerade
	 * random" while the app runs: the periodic check sees a symmetric NAT, and an event says so.
	 */
	@Test
	void masqueradeIsAPortRestrictedConeAndARecheckSeesItBecomeSymmetric() throws Exception {
		try (Lab lab = Lab.up("all", "--stun");
				SampleApp app = SampleApp.start(lab, "--nat.mode=pcp", STUN_SERVERS, "--nat.stun.check-interval=10s")) {
			String nat = lab.awaitFromApp(ENDPOINT, "\"natType\":\"port-restricted cone\"", Duration.ofSeconds(30));
			assertThat(nat).contains("\"publicAddress\":\"11.22.33.1\"", "\"matchesRouter\":true",
					"\"mappingBehavior\":\"ENDPOINT_INDEPENDENT\"", "\"filteringBehavior\":\"ADDRESS_AND_PORT_DEPENDENT\"",
					"\"hairpinning\":\"NOT_SUPPORTED\"", "\"otherAddress\":\"11.22.33.3:3479\"",
					"\"behindAnotherNat\":false");
			// The unanswered probes (CHANGE-REQUEST, hairpin) are waited for side by side: one 750 ms wait, not three.
			Matcher took = Pattern.compile("\"checkMillis\":(\\d+)").matcher(nat);
			assertThat(took.find()).as(nat).isTrue();
			assertThat(Long.parseLong(took.group(1))).isBetween(700L, 3000L);
			String health = lab.awaitFromApp("/actuator/health/nat", "\"natType\":\"port-restricted cone\"",
					Duration.ofSeconds(5));
			assertThat(health).contains("\"status\":\"UP\"", "\"matchesRouter\":true");
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			assertThat(metrics.value("nat_stun_nat_type", "type", "port-restricted-cone")).hasValue(1);
			assertThat(metrics.value("nat_stun_nat_type", "type", "symmetric")).hasValue(0);
			assertThat(metrics.value("nat_stun_address_mismatch")).hasValue(0);
			assertThat(app.awaitLog(Pattern.compile(
					"Event: the internet sees this app at 11\\.22\\.33\\.1, NAT type port-restricted cone"),
					Duration.ofSeconds(5))).isNotNull();

			Lab.Result swapped = lab.exec("router", "sh", "-c", "nft flush chain inet filter postrouting && "
					+ "nft add rule inet filter postrouting jump postrouting_miniupnpd && "
					+ "nft add rule inet filter postrouting oifname nl" + lab.name + "w masquerade random");
			assertThat(swapped.exitCode()).as(swapped.output()).isZero();
			lab.awaitFromApp(ENDPOINT, "\"natType\":\"symmetric\"", Duration.ofSeconds(30));
			app.awaitLog(Pattern.compile("Event: the internet sees this app at 11\\.22\\.33\\.1, NAT type "
					+ "symmetric"), Duration.ofSeconds(5));
			assertThat(Prometheus.parse(lab.getFromApp("/actuator/prometheus").output())
				.value("nat_stun_checks_seconds_count", "outcome", "success")
				.orElse(0)).isGreaterThanOrEqualTo(2);
		}
	}

	/** "masquerade random": a new public port for every destination, which is what symmetric means. */
	@Test
	void masqueradeRandomIsSymmetric() throws Exception {
		try (Lab lab = Lab.up("all", "--stun", "--nat", "random");
				SampleApp app = SampleApp.start(lab, "--nat.mode=pcp", STUN_SERVERS)) {
			String nat = lab.awaitFromApp(ENDPOINT, "\"natType\":\"symmetric\"", Duration.ofSeconds(30));
			assertThat(nat).contains("\"publicAddress\":\"11.22.33.1\"",
					"\"mappingBehavior\":\"ADDRESS_AND_PORT_DEPENDENT\"", "\"matchesRouter\":true");
		}
	}

	/**
	 * No NAT at all: the app on the internet side (the router host, whose address is public and whose firewall
	 * accepts everything), in mode stun: open internet, and the web server reachable at the address STUN saw.
	 */
	@Test
	void withNoNatTheAppIsOnTheOpenInternetAndReachableAtTheAddressStunSaw() throws Exception {
		try (Lab lab = Lab.up("none", "--stun");
				SampleApp app = SampleApp.startOn(lab, "router", "--nat.mode=stun:11.22.33.2")) {
			String nat = lab.awaitFromAppOn("router", ENDPOINT, "\"natType\":\"open internet\"", Duration.ofSeconds(30));
			assertThat(nat).contains("\"mode\":\"stun:11.22.33.2:3478\"", "\"publicAddress\":\"11.22.33.1\"",
					"\"mappingBehavior\":\"NO_NAT\"", "\"filteringBehavior\":\"ENDPOINT_INDEPENDENT\"",
					"\"hairpinning\":\"NOT_APPLICABLE\"", "\"protocol\":\"STUN\"", "\"externalAddress\":\"11.22.33.1\"",
					"\"state\":\"ACTIVE\"");
			lab.awaitFromInternet("11.22.33.1", 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
		}
	}

	/** Over TCP: the public address of the host's TCP connections; the NAT type is not measured. */
	@Test
	void overTcpThePublicAddressIsSeenAndTheTypeIsNotGuessed() throws Exception {
		try (Lab lab = Lab.up("all", "--stun");
				SampleApp app = SampleApp.start(lab, "--nat.mode=pcp", STUN_SERVERS, "--nat.stun.transport=tcp")) {
			String nat = lab.awaitFromApp(ENDPOINT, "\"publicAddress\":\"11.22.33.1\"", Duration.ofSeconds(30));
			assertThat(nat).contains("\"transport\":\"TCP\"", "\"natType\":\"unknown\"", "\"matchesRouter\":true");
		}
	}

}
