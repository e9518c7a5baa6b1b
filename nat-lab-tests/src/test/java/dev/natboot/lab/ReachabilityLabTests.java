package dev.natboot.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mappings checked from outside through the lab's coturn (RFC 6062 TCP relay): the sample app in its default
 * configuration plus a TURN server, behind a plain router (REACHABLE), a router whose upstream drops what comes
 * in (UNREACHABLE: nothing came through), a double NAT (UNREACHABLE: another NAT), and with the check itself
 * broken (FAILING: wrong credentials, server stopped). The app's endpoint, health, metrics and log lines are
 * read as users read them.
 */
@Isolated("timed: checks from outside within 3 s and 1 s")
class ReachabilityLabTests {

	private static final String TURN = "--nat.turn.servers=turn:11.22.33.2";

	private static final String USER = "--nat.turn.username=natlab";

	private static final String PASSWORD = "--nat.turn.password=natlab";

	private static final Pattern VERIFIED = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d+).*Web server port 8080/TCP is "
			+ "verified reachable from outside at 11\\.22\\.33\\.1:8080 \\(through turn:11\\.22\\.33\\.2:3478\\?transport=tcp, "
			+ "checked in (\\d+) ms\\)");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void byDefaultWithATurnServerTheWebServerIsVerifiedReachableFromOutside() throws Exception {
		try (Lab lab = Lab.up("all", "--stun"); SampleApp app = SampleApp.start(lab, TURN, USER, PASSWORD)) {
			app.awaitLog(Pattern.compile("Web server port 8080/TCP is mapped on the router at 11\\.22\\.33\\.1:8080 "
					+ "\\(PCP .*\\); checking it from outside"), Duration.ofSeconds(60));
			Matcher verified = app.awaitLog(VERIFIED, Duration.ofSeconds(30));
			assertThat(Long.parseLong(verified.group(2))).isLessThan(3000);
			String nat = lab.awaitFromApp("/actuator/nat", "\"status\":\"REACHABLE\"", Duration.ofSeconds(10));
			assertThat(nat).contains("\"via\":\"turn:11.22.33.2:3478?transport=tcp\"", "\"endpoint\":\"11.22.33.1:8080\"")
				.doesNotContain("natlab\"", "password");
			String health = lab.getFromApp("/actuator/health/nat").output();
			assertThat(health).contains("\"status\":\"UP\"", "\"reachability\":{\"status\":\"REACHABLE\"");
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			assertThat(metrics.value("nat_mapping_reachable", "mapping", "server")).hasValue(1);
			assertThat(metrics.value("nat_reachability_checks_seconds_count", "status", "reachable")).hasValue(1);
			assertThat(app.awaitLog(Pattern.compile("Event: mapping 'server' is REACHABLE from outside"),
					Duration.ofSeconds(5))).isNotNull();
			assertThat(app.log()).doesNotContain("nat.turn.password=natlab", "password=natlab");
		}
	}

	/** The periodic checks, at the shortest interval: warm, they take a few round trips. */
	@Test
	void everyCheckIntervalTheMappingIsCheckedAgain() throws Exception {
		try (Lab lab = Lab.up("all", "--stun");
				SampleApp app = SampleApp.start(lab, TURN, USER, PASSWORD, "--nat.reachability.check-interval=10s")) {
			app.awaitLog(VERIFIED, Duration.ofSeconds(60));
			long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
			Prometheus metrics;
			do {
				Thread.sleep(1000);
				metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			}
			while (metrics.value("nat_reachability_checks_seconds_count", "status", "reachable").orElse(0) < 3
					&& System.nanoTime() < deadline);
			assertThat(metrics.value("nat_reachability_checks_seconds_count", "status", "reachable").orElse(0))
				.isGreaterThanOrEqualTo(3);
			Matcher took = Pattern.compile("\"tookMillis\":(\\d+)").matcher(lab.getFromApp("/actuator/nat").output());
			assertThat(took.find()).isTrue();
			System.out.println("warm reachability check took " + took.group(1) + " ms");
			assertThat(Long.parseLong(took.group(1))).isLessThan(1000);
			// One line when it became reachable, none for the checks that found the same.
			assertThat(Pattern.compile("verified reachable from outside").matcher(app.log()).results().count()).isOne();
		}
	}

	/**
	 * A UDP mapping whose application answers natboot's probes (UdpProbe's protocol, here a few lines of Python on
	 * the LAN host): REACHABLE through coturn's UDP relay and the router; once the application stops answering,
	 * the next check finds it UNREACHABLE. A UDP mapping that does not answer probes stays UNVERIFIED.
	 */
	@Test
	void aUdpMappingWhoseApplicationAnswersProbesIsCheckedFromOutside() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			Process responder = new ProcessBuilder("ip", "netns", "exec", lab.namespace("lan"), "python3", "-c", """
					import socket
					s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('192.0.2.10', 27015))
					while True:
					    d, a = s.recvfrom(2048)
					    if len(d) == 32 and d.startswith(b'NATBOOT-PROBE/1 '):
					        s.sendto(b'NATBOOT-REPLY/1 ' + d[16:], a)
					""").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			try (SampleApp app = SampleApp.start(lab, TURN, USER, PASSWORD, "--nat.reachability.check-interval=10s",
					"--nat.mappings.game.internal-port=27015", "--nat.mappings.game.protocol=udp",
					"--nat.mappings.game.answers-probes=true", "--nat.mappings.voice.internal-port=27016",
					"--nat.mappings.voice.protocol=udp")) {
				app.awaitLog(Pattern.compile("Event: mapping 'game' is REACHABLE from outside"), Duration.ofSeconds(60));
				String nat = lab.getFromApp("/actuator/nat").output();
				assertThat(nat).containsPattern("\"game\":\\{[^}]*\"reachability\":\\{\"status\":\"REACHABLE\"")
					.containsPattern("\"voice\":\\{[^}]*\"reachability\":\\{\"status\":\"UNVERIFIED\"");
				responder.destroyForcibly().waitFor();
				Matcher gone = app.awaitLog(Pattern.compile("Event: mapping 'game' is UNREACHABLE from outside: (.*)"),
						Duration.ofSeconds(40));
				assertThat(gone.group(1)).contains("no answer from 11.22.33.1:27015 to the probes");
			}
			finally {
				responder.destroyForcibly();
			}
		}
	}

	@Test
	void whatAnUpstreamFilterDropsIsUnreachableWithTheReason() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			// The ISP drops connections to the router's port 8080, before the router sees them.
			Lab.Result filter = lab.exec("inet", "sh", "-c", "nft add table inet upstream && nft add chain inet upstream "
					+ "out '{ type filter hook output priority 0; }' && nft add rule inet upstream out ip daddr "
					+ Lab.ROUTER_WAN + " tcp dport 8080 drop");
			assertThat(filter.exitCode()).as(filter.output()).isZero();
			try (SampleApp app = SampleApp.start(lab, TURN, USER, PASSWORD, "--nat.health.unreachable-status=DOWN")) {
				Matcher warning = app.awaitLog(Pattern.compile("Web server port 8080/TCP is mapped on the router at "
						+ "11\\.22\\.33\\.1:8080, but not reachable from outside: (.*)"), Duration.ofSeconds(90));
				assertThat(warning.group(1)).contains("the router accepted the mapping but nothing came through");
				String nat = lab.getFromApp("/actuator/nat").output();
				assertThat(nat).contains("\"status\":\"UNREACHABLE\"", "nothing came through");
				assertThat(lab.getFromApp("/actuator/health/nat").output()).contains("\"status\":\"DOWN\"");
				assertThat(Prometheus.parse(lab.getFromApp("/actuator/prometheus").output())
					.value("nat_mapping_reachable", "mapping", "server")).hasValue(0);
			}
		}
	}

	@Test
	void behindADoubleNatTheMappingIsUnreachableBecauseOfTheOtherNat() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "double", "--stun");
				SampleApp app = SampleApp.start(lab, TURN, USER, PASSWORD)) {
			Matcher warning = app.awaitLog(Pattern.compile("Web server port 8080/TCP is mapped on the router at "
					+ "11\\.22\\.34\\.1:8080, but not reachable from outside: (.*)"), Duration.ofSeconds(90));
			assertThat(warning.group(1)).contains("another NAT sits in front of the router: the internet sees this "
					+ "host at 11.22.33.1, the router says 11.22.34.1");
		}
	}

	/**
	 * Behind carrier-grade NAT miniupnpd refuses the mapping: nothing to check (no allocation on coturn), the
	 * mapping's reachability stays UNVERIFIED, and the health says what is wrong (behind another NAT).
	 */
	@Test
	void behindCarrierGradeNatNothingIsCheckedAndTheHealthSaysWhy() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat", "--stun");
				SampleApp app = SampleApp.start(lab, "--nat.turn.servers=turn:100.64.0.2", USER, PASSWORD,
						"--nat.health.unreachable-status=OUT_OF_SERVICE")) {
			String health = lab.awaitFromApp("/actuator/health/nat", "\"behindAnotherNat\":true", Duration.ofSeconds(60));
			assertThat(health).contains("\"status\":\"OUT_OF_SERVICE\"", "\"reachability\":{\"status\":\"UNVERIFIED\"");
			Thread.sleep(2000);
			assertThat(Files.readString(Path.of("/run/natlab/" + lab.name + "/turnserver.log"))).doesNotContain("ALLOCATE");
		}
	}

	@Test
	void wrongCredentialsMakeTheCheckFailingNotTheMappingUnreachable() throws Exception {
		try (Lab lab = Lab.up("all", "--stun");
				SampleApp app = SampleApp.start(lab, TURN, USER, "--nat.turn.password=wrong-secret",
						"--nat.health.unreachable-status=DOWN")) {
			Matcher failing = app.awaitLog(Pattern.compile("Web server port 8080/TCP: the check from outside failed, "
					+ "so whether 11\\.22\\.33\\.1:8080 is reachable is unknown: (.*)"), Duration.ofSeconds(60));
			assertThat(failing.group(1)).contains("refused the credentials (401)");
			String nat = lab.getFromApp("/actuator/nat").output();
			assertThat(nat).contains("\"status\":\"FAILING\"").doesNotContain("wrong-secret");
			assertThat(lab.getFromApp("/actuator/health/nat").output()).contains("\"status\":\"UP\"")
				.doesNotContain("wrong-secret");
			assertThat(app.log()).doesNotContain("wrong-secret");
			lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(10));
		}
	}

	@Test
	void aStoppedTurnServerMakesTheCheckFailing() throws Exception {
		try (Lab lab = Lab.up("all");
				SampleApp app = SampleApp.start(lab, TURN, USER, PASSWORD, "--nat.reachability.timeout=1s")) {
			Matcher failing = app.awaitLog(Pattern.compile("Web server port 8080/TCP: the check from outside failed, "
					+ "so whether 11\\.22\\.33\\.1:8080 is reachable is unknown: (.*)"), Duration.ofSeconds(60));
			assertThat(failing.group(1)).contains("Cannot connect to the TURN server");
			assertThat(lab.getFromApp("/actuator/nat").output()).contains("\"status\":\"FAILING\"");
		}
	}

}
