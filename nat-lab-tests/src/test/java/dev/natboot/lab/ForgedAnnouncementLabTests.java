package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device on the LAN forges the router's announcements with a raw socket: source 192.0.2.1:5351 (the gateway's
 * own address and server port), to 224.0.0.1:5350, epochs jumping back to zero and far ahead, one every 200 ms.
 * With the sample app's defaults (mode any), the router that really answers must get at most three requests for
 * thirty forged packets, the log no line at all, and the mapping must stay as it is.
 */
class ForgedAnnouncementLabTests {

	private static final Pattern REQUESTS = Pattern.compile("counter packets (\\d+) bytes");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@ParameterizedTest(name = "{0} router, forged {1} announcements")
	@CsvSource({ "all, pcp, PCP, 2", "pmp-only, pmp, NAT-PMP, 0" })
	void thirtyForgedAnnouncementsCostAtMostThreeRequests(String router, String protocol, String inUse, int version)
			throws Exception {
		try (Lab lab = Lab.up(router); SampleApp app = SampleApp.start(lab)) {
			assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo(inUse);
			// Requests of the protocol in use only: on the NAT-PMP-only router, the PCP probe that lost the race is
			// still retransmitted (into the router's drop rule) for some 4 s after the mapping; the race lets losers
			// finish, to learn every protocol the router speaks. Byte 0 of the payload is the version.
			Lab.Result counting = lab.exec("router", "nft", "insert", "rule", "inet", "filter", "input", "udp", "dport",
					"5351", "ip", "saddr", Lab.LAN_HOST, "@th,64,8", String.valueOf(version), "counter");
			assertThat(counting.ok()).as(counting.output()).isTrue();
			int logLines = app.log().split("\n").length;
			Lab.Result forged = lab.exec("lan", "python3", Lab.ROOT.resolve("lab/forge.py").toString(), "--protocol",
					protocol, "--gateway", Lab.LAN_ROUTER, "--count", "30", "--interval", "0.2");
			assertThat(forged.ok()).as(forged.output()).isTrue();
			Thread.sleep(500);
			long requests = requests(lab);
			String log = app.log();
			int newLines = log.split("\n").length - logLines;
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			double heard = metrics.value("nat_router_signals_total", "signal", "announcement", "outcome", "acted").orElse(0)
					+ metrics.value("nat_router_signals_total", "signal", "announcement", "outcome", "suppressed").orElse(0);
			System.out.printf("%s: 30 forged announcements in 6 s -> %d requests at the router, %d log lines, "
					+ "%.0f heard by the app%n", protocol, requests, newLines, heard);
			// They did reach the app, from the router's own address and port.
			assertThat(heard).isGreaterThanOrEqualTo(30);
			assertThat(requests).isLessThanOrEqualTo(3);
			assertThat(newLines).isLessThanOrEqualTo(3);
			assertThat(log).doesNotContain("Router lost its mappings", "Mapping 'server' (8080/TCP) failed");
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isTrue();
			assertThat(metrics.value("nat_mapping_operations_seconds_count", "operation", "renew")).isEmpty();
		}
	}

	private static long requests(Lab lab) {
		String input = lab.exec("router", "nft", "list", "chain", "inet", "filter", "input").output();
		Matcher matcher = REQUESTS.matcher(input);
		assertThat(matcher.find()).as(input).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
