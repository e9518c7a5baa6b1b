package dev.natboot.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees of the mapping from actuator and Prometheus alone, with the real sample app behind the
 * real router: after startup, after renewals of a short lease, after a release, and when the router fails.
 */
class ActuatorLabTests {

	private static final String RULE = "dport 8080 dnat ip to " + Lab.LAN_HOST + ":8080";

	private static final Pattern RENEWALS = Pattern.compile("\"server\":\\{\"state\":\"ACTIVE\"[^{]*?\"renewals\":(\\d+)");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	/**
	 * The sample app as the README says to run it, behind the router with its defaults: its actuator shares the
	 * mapped port. The internet host gets a 404 for every endpoint, the LAN host gets them all, and the app itself
	 * is reachable from both.
	 */
	@Test
	void theInternetGetsNothingOfTheActuatorThroughTheMappingAndTheLanGetsAll() throws Exception {
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.start(lab)) {
			app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
			for (String path : new String[] { "/actuator", "/actuator/health", "/actuator/health/nat", "/actuator/nat",
					"/actuator/info", "/actuator/prometheus", "/actuator/nat/server", "//actuator/health",
					"/%61ctuator/nat" }) {
				Lab.Result outside = lab.exec("inet", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time",
						"5", "--path-as-is", "http://" + Lab.ROUTER_WAN + ":8080" + path);
				assertThat(outside.output()).as("from the internet: " + path).isEqualTo("404");
				if (!path.startsWith("//") && !path.contains("%")) {
					Lab.Result inside = lab.exec("lan", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
							"--max-time", "5", "http://" + Lab.LAN_HOST + ":8080" + path);
					assertThat(inside.output()).as("from the LAN: " + path).isEqualTo("200");
				}
			}
			// Forged headers do not make the internet the LAN.
			Lab.Result claiming = lab.exec("inet", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
					"-H", "X-Forwarded-For: 192.0.2.10", "-H", "Forwarded: for=127.0.0.1",
					"http://" + Lab.ROUTER_WAN + ":8080/actuator/health");
			assertThat(claiming.output()).isEqualTo("404");
			assertThat(app.log()).contains("Actuator endpoints health, info, nat, prometheus under /actuator share the web "
					+ "server port 8080 that natboot maps: shielded");
		}
	}

	@Test
	void healthNatAndPrometheusFollowTheMappingThroughRenewalsAndRelease() throws Exception {
		// The router grants at most 4 s, so renewals come every 2-2.5 s.
		try (Lab lab = Lab.up("pcp", "--lifetime", "1:4");
				SampleApp app = SampleApp.start(lab, "--management.endpoint.nat.access=unrestricted")) {
			app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));

			Prometheus started = scrape(lab);
			assertThat(started.value("nat_mappings", "state", "active")).as(started::toString).hasValue(1);
			assertThat(started.value("nat_mapping_operations_seconds_count", "operation", "create", "protocol", "pcp",
					"transport", "tcp", "outcome", "success")).hasValue(1);
			assertThat(started.value("nat_mapping_confirmation_seconds_count", "mapping", "server", "protocol", "pcp"))
				.hasValue(1);
			assertThat(started.value("nat_mapping_confirmation_seconds_max", "mapping", "server").getAsDouble())
				.isBetween(0.0, 5.0);
			assertThat(started.value("nat_mapping_external_port", "mapping", "server", "transport", "tcp")).hasValue(8080);
			assertThat(started.value("nat_mapping_lease_remaining_seconds", "mapping", "server").getAsDouble())
				.isBetween(0.0, 4.0);
			assertThat(started.value("nat_mapping_confirmed_time_seconds", "mapping", "server").getAsDouble())
				.isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));

			int renewals = awaitRenewals(lab, 2, Duration.ofSeconds(15));
			Prometheus renewed = scrape(lab);
			assertThat(renewed.value("nat_mapping_operations_seconds_count", "operation", "renew", "outcome", "success")
				.getAsDouble()).isGreaterThanOrEqualTo(renewals);
			assertThat(renewed.value("nat_mapping_lease_remaining_seconds", "mapping", "server").getAsDouble())
				.isBetween(0.5, 4.0);
			assertThat(renewed.value("nat_mapping_confirmation_seconds_count", "mapping", "server")).hasValue(1);
			assertThat(renewed.find("nat_mapping_failures_total")).isEmpty();
			// Every series the Grafana dashboard queries is there (failures only once something failed: below).
			assertThat(dashboardMetrics()).allSatisfy((name) -> assertThat(
					name.equals("nat_mapping_failures_total") || !renewed.find(name).isEmpty()).as(name).isTrue());
			assertThat(get(lab, "/actuator/health/nat")).contains("\"status\":\"UP\"").contains("\"lastRenewal\":\"");
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isTrue();

			assertThat(lab.exec("lan", "curl", "-sS", "--max-time", "3", "-X", "POST", "-H",
					"Content-Type: application/json", "-d", "{\"action\":\"release\"}",
					"http://" + Lab.LAN_HOST + ":8080/actuator/nat/server").output()).contains("\"state\":");
			lab.awaitFromApp("/actuator/nat/server", "\"state\":\"REMOVED\"", Duration.ofSeconds(5));
			Prometheus released = scrape(lab);
			assertThat(released.value("nat_mappings", "state", "active")).hasValue(0);
			assertThat(released.value("nat_mappings", "state", "removed")).hasValue(1);
			assertThat(released.value("nat_mapping_operations_seconds_count", "operation", "remove", "outcome", "success"))
				.hasValue(1);
			assertThat(released.find("nat_mapping_external_port")).isEmpty();
			assertThat(released.find("nat_mapping_lease_remaining_seconds")).isEmpty();
			assertThat(get(lab, "/actuator/health/nat")).contains("\"state\":\"REMOVED\"");
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
			System.out.printf("actuator lab: %d renewals seen, remove took %.1f ms%n", renewals,
					1000 * released.value("nat_mapping_operations_seconds_sum", "operation", "remove").getAsDouble());
		}
	}

	@Test
	void aSilentRouterIsATypedFailureInHealthNatAndPrometheus() throws Exception {
		try (Lab lab = Lab.up("none"); SampleApp app = SampleApp.start(lab, "--nat.mode=pcp")) {
			app.awaitLog(Pattern.compile("Mapping 'server' \\(8080/TCP\\) failed: .*\\[NO_RESPONSE]"),
					Duration.ofSeconds(60));
			Prometheus failing = scrape(lab);
			assertThat(failing.value("nat_mappings", "state", "retrying")).as(failing::toString).hasValue(1);
			assertThat(failing.find("nat_mapping_failures_total", "error", "no-response", "operation", "create"))
				.isNotEmpty()
				.allSatisfy((sample) -> assertThat(sample.labels()).containsEntry("transport", "tcp")
					.containsKeys("protocol"));
			assertThat(failing.find("nat_mapping_operations_seconds_count", "outcome", "failure")).isNotEmpty();
			assertThat(dashboardMetrics()).contains("nat_mapping_failures_total");
			String health = get(lab, "/actuator/health/nat");
			assertThat(health).contains("\"status\":\"UNKNOWN\"").contains("\"lastError\":\"NO_RESPONSE: ");
			assertThat(get(lab, "/actuator/nat")).contains("\"state\":\"RETRYING\"");
		}
	}

	/** Metric names the Grafana dashboard's queries use. */
	private static Set<String> dashboardMetrics() throws IOException {
		String dashboard = Files.readString(Lab.ROOT.resolve("docs/grafana/natboot-dashboard.json"));
		Set<String> names = new TreeSet<>();
		Matcher matcher = Pattern.compile("\\bnat_[a-z_]+").matcher(dashboard);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		assertThat(names).hasSizeGreaterThan(5);
		return names;
	}

	private static int awaitRenewals(Lab lab, int wanted, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		String nat = "";
		while (System.nanoTime() < deadline) {
			nat = get(lab, "/actuator/nat");
			Matcher matcher = RENEWALS.matcher(nat);
			if (matcher.find() && Integer.parseInt(matcher.group(1)) >= wanted) {
				return Integer.parseInt(matcher.group(1));
			}
			Thread.sleep(250);
		}
		throw new AssertionError("Fewer than " + wanted + " renewals within " + timeout + ": " + nat);
	}

	private static Prometheus scrape(Lab lab) {
		return Prometheus.parse(get(lab, "/actuator/prometheus"));
	}

	private static String get(Lab lab, String path) {
		Lab.Result result = lab.getFromApp(path);
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result.output();
	}

}
