package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real router misbehaving under the running sample app: it forgets a mapping without restarting, its LAN
 * cable is pulled, or the app is killed and never says goodbye.
 */
@Isolated("timed: recovery within 4.5 s")
class HealingLabTests {

	private static final String RULE = "dport 8080 dnat ip to " + Lab.LAN_HOST + ":8080";

	private static final Pattern OUTAGE_WARNING = Pattern.compile("WARN .*Mapping 'server' \\(8080/TCP\\) (failed|still failing)");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	/**
	 * Two ways a router forgets: its rules flushed behind the daemon's back (a firewall reload), or the daemon
	 * deleting the mapping itself (another client, the router's web page, a lease it cut short). miniupnpd's
	 * nftables backend caches its rules, so after a flush its UPnP side still lists the mapping and its
	 * AddPortMapping believes it is there (seen with upnpc too): only PCP and NAT-PMP renewals put a flushed
	 * rule back; UPnP is tested with a deletion, which GetSpecificPortMappingEntry sees.
	 */
	@ParameterizedTest(name = "router {0}: a {1} mapping the router forgot ({2}) is back within one verification interval")
	@CsvSource({ "all, PCP, flush", "pmp-only, NAT-PMP, flush", "upnp-only, UPnP, delete" })
	void aMappingTheRouterForgotIsBackWithinOneVerificationInterval(String router, String protocol, String how)
			throws Exception {
		// Three minute leases: renewals are due after 90 s at the earliest, so only the verification explains a
		// mapping back within seconds.
		try (Lab lab = Lab.up(router); SampleApp app = SampleApp.start(lab, "--nat.lease=3m",
				"--nat.verification-interval=3s")) {
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo(protocol);
			Thread.sleep(4000); // one verification that finds it there
			if (how.equals("flush")) {
				lab.router("flush");
			}
			else {
				assertThat(lab.exec("lan", "upnpc", "-u", "http://" + Lab.LAN_ROUTER + ":5000/rootDesc.xml", "-d", "8080",
						"TCP").ok()).isTrue();
			}
			long flushed = System.nanoTime();
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
			Duration recovered = awaitReachable(lab, flushed, Duration.ofSeconds(10));
			assertThat(recovered).as("reachable again within 10 s of the flush\n" + app.log()).isNotNull();
			System.out.printf("router %s forgot the mapping (%s): reachable again through %s after %d ms%n", router, how,
					protocol, recovered.toMillis());
			assertThat(recovered).isLessThan(Duration.ofMillis(4500));
			if (protocol.equals("UPnP")) {
				assertThat(app.log()).contains("Router dropped mapping 'server'");
				assertThat(lab.getFromApp("/actuator/prometheus").output())
					.containsPattern("nat_mapping_operations_seconds_count\\{.*operation=\"verify\".*outcome=\"success\"");
			}
		}
	}

	@Test
	void survivesTheRoutersLanLinkGoingDownAndUp() throws Exception {
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.start(lab, "--nat.lease=3m",
				"--nat.verification-interval=2s", "--nat.max-retry-interval=4s")) {
			app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			lab.router("lan-down");
			String health = "/actuator/health/nat";
			lab.awaitFromApp(health, "\"status\":\"unreachable\"", Duration.ofSeconds(15));
			assertThat(lab.getFromApp(health).output()).contains("unreachableSince");
			Thread.sleep(15_000); // an outage long enough for several retries at the capped interval
			lab.router("lan-up");
			long up = System.nanoTime();
			lab.awaitFromApp(health, "\"status\":\"answering\"", Duration.ofSeconds(10));
			System.out.printf("router LAN link back: router answering again after %d ms%n",
					Duration.ofNanos(System.nanoTime() - up).toMillis());
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isTrue();
			String log = app.log();
			Matcher warnings = OUTAGE_WARNING.matcher(log);
			int count = 0;
			while (warnings.find()) {
				count++;
			}
			// About ten failed attempts in 20 s; one warning says so, the rest are at DEBUG.
			assertThat(count).as(log).isEqualTo(1);
			assertThat(log).contains("mapped again after");
		}
	}

	@ParameterizedTest(name = "router {0}: a killed app's {1} mapping is gone once its lease ran out")
	@CsvSource({ "all, PCP", "upnp-only, UPnP" })
	void aKilledAppLeavesNothingOpenBeyondItsLease(String router, String protocol) throws Exception {
		try (Lab lab = Lab.up(router, "--lifetime", "6:3600"); SampleApp app = SampleApp.start(lab, "--nat.lease=6s")) {
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo(protocol);
			app.kill();
			long killed = System.nanoTime();
			assertThat(lab.forwardingRules()).contains(RULE);
			Duration gone = null;
			while (System.nanoTime() - killed < Duration.ofSeconds(40).toNanos()) {
				if (!lab.forwardingRules().contains(RULE)) {
					gone = Duration.ofNanos(System.nanoTime() - killed);
					break;
				}
				Thread.sleep(200);
			}
			assertThat(gone).as("the router dropped the killed app's mapping").isNotNull();
			System.out.printf("router %s: killed app's %s mapping gone after %d ms (lease 6 s)%n", router, protocol,
					gone.toMillis());
			assertThat(lab.exec("inet", "curl", "-sS", "--max-time", "1", "http://" + Lab.ROUTER_WAN + ":8080/").ok())
				.isFalse();
		}
	}

	private static Duration awaitReachable(Lab lab, long sinceNanos, Duration timeout) throws InterruptedException {
		while (System.nanoTime() - sinceNanos < timeout.toNanos()) {
			if (lab.exec("inet", "curl", "-sS", "--max-time", "0.3", "http://" + Lab.ROUTER_WAN + ":8080/").ok()) {
				return Duration.ofNanos(System.nanoTime() - sinceNanos);
			}
			Thread.sleep(20);
		}
		return null;
	}

}
