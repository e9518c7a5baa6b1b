package dev.natboot.lab;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real router power-cycled under the running sample app: every mapping gone, a new epoch. The app hears
 * the router announce itself and maps again; measured from the moment the daemon is started to the first
 * HTTP request from the internet host that gets through.
 */
@Isolated("timed: reachable again within 2 s")
class RouterRestartLabTests {

	private static final String RULE = "dport 8080 dnat ip to " + Lab.LAN_HOST + ":8080";

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@ParameterizedTest(name = "router {0}: {1} mapping back within 2 s of a restart")
	@CsvSource({ "all, PCP", "pmp-only, NAT-PMP", "upnp-only, UPnP" })
	void isReachableAgainWithinTwoSecondsOfARouterRestart(String router, String protocol) throws Exception {
		try (Lab lab = Lab.up(router); SampleApp app = SampleApp.start(lab)) {
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo(protocol);
			lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));

			// A power cycle: the daemon gone, its table empty; then measured from the daemon's start.
			lab.router("stop");
			lab.router("flush");
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
			assertThat(lab.exec("inet", "curl", "-sS", "--max-time", "1", "http://" + Lab.ROUTER_WAN + ":8080/").ok())
				.isFalse();

			long started = System.nanoTime();
			lab.router("start");
			Duration recovered = null;
			while (System.nanoTime() - started < Duration.ofSeconds(10).toNanos()) {
				if (lab.exec("inet", "curl", "-sS", "--max-time", "0.3", "http://" + Lab.ROUTER_WAN + ":8080/").ok()) {
					recovered = Duration.ofNanos(System.nanoTime() - started);
					break;
				}
				Thread.sleep(20);
			}
			assertThat(recovered).as("reachable again within 10 s of the router's start\n" + app.log()).isNotNull();
			System.out.printf("router %s restarted: reachable again through %s after %d ms%n", router, protocol,
					recovered.toMillis());
			assertThat(recovered).isLessThan(Duration.ofSeconds(2));
			assertThat(app.log()).contains(protocol.equals("UPnP") ? "started again: mapping again"
					: "Router lost its mappings (it restarted)");
			assertThat(lab.exec("lan", "curl", "-sS", "http://" + Lab.LAN_HOST + ":8080/actuator/health/nat").output())
				.contains("\"status\":\"UP\"");
		}
	}

}
