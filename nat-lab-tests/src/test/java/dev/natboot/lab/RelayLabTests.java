package dev.natboot.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay fallback through OpenSSH's sshd on the lab's internet host, with the sample app in its default
 * configuration plus the relay's server, user, key and known hosts (the healing after an sshd restart, timed, is
 * in {@link RelayHealingLabTests}): behind carrier-grade NAT the app is reached from
 * another internet host through the relay (and its actuator is not); behind a full router no relay is used until
 * the mapping is refused, and the relay goes when mapping works again; a wrong host key, a wrong user key and a server that binds forwards to its loopback are refused with a clear error.
 */
class RelayLabTests {

	static final Pattern THROUGH_RELAY = Pattern.compile(
			"Web server port 8080/TCP is reachable through relay ([\\d.]+):(\\d+) \\(ssh://root@([\\d.]+):22, connected in (\\d+) ms");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void behindCarrierGradeNatTheWebServerIsReachedFromTheInternetThroughTheRelay() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat", "--peer")) {
			lab.ssh("start");
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2"))) {
				Matcher relayed = app.awaitLog(THROUGH_RELAY, Duration.ofSeconds(60));
				String endpoint = relayed.group(1) + ":" + relayed.group(2);
				System.out.println("relay connected in " + relayed.group(4) + " ms at " + endpoint);
				assertThat(relayed.group(1)).isEqualTo("100.64.0.2");
				String answer = awaitFrom(lab, "peer", "http://" + endpoint + "/", "Hello from the natboot sample app");
				assertThat(answer).contains("Hello");
				// Relayed connections come from this host, and still count as from the internet.
				for (String path : List.of("/actuator/nat", "/actuator/health", "/actuator/prometheus", "/actuator")) {
					assertThat(status(lab, "peer", "http://" + endpoint + path)).as(path).isEqualTo("404");
				}
				assertThat(status(lab, "lan", "http://127.0.0.1:8080/actuator/nat")).isEqualTo("200");
				String nat = lab.getFromApp("/actuator/nat").output();
				assertThat(nat).contains("\"relay\":{\"mode\":\"fallback\",\"status\":\"CONNECTED\"",
						"\"publicEndpoint\":\"" + endpoint + "\"", "\"reason\":\"");
				String health = lab.getFromApp("/actuator/health/nat").output();
				assertThat(health).contains("\"status\":\"UP\"", "\"relay\":{\"mode\":\"fallback\",\"status\":\"CONNECTED\"");
				Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
				assertThat(metrics.value("nat_relay_state", "state", "connected")).hasValue(1);
				assertThat(metrics.value("nat_relay_connections_total").orElse(0)).isGreaterThanOrEqualTo(2);
				assertThat(metrics.value("nat_relay_bytes_total", "direction", "out").orElse(0)).isGreaterThan(0);
				assertThat(app.log()).contains("Event: Relay connected: " + endpoint)
					.doesNotContain("PRIVATE KEY", "BEGIN OPENSSH");
				// The relay is closed at stop, bounded, and the server's listener goes with it.
				Duration stopped = app.stop(Duration.ofSeconds(10));
				System.out.println("app with a relay stopped in " + stopped.toMillis() + " ms");
				assertThat(status(lab, "peer", "http://" + endpoint + "/")).isEqualTo("000");
			}
		}
	}

	/** With a TURN server configured, the relayed endpoint is checked from outside like a mapping. */
	@Test
	void withATurnServerTheRelayedEndpointIsVerifiedFromOutside() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat", "--stun")) {
			lab.ssh("start");
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2", "--nat.turn.servers=turn:100.64.0.2",
					"--nat.turn.username=natlab", "--nat.turn.password=natlab"))) {
				Matcher relayed = app.awaitLog(THROUGH_RELAY, Duration.ofSeconds(60));
				String endpoint = relayed.group(1) + ":" + relayed.group(2);
				Matcher verified = app.awaitLog(Pattern.compile("Relay endpoint " + Pattern.quote(endpoint)
						+ " is verified reachable from outside \\(through turn:100\\.64\\.0\\.2:3478\\?transport=tcp, "
						+ "checked in (\\d+) ms\\)"), Duration.ofSeconds(30));
				System.out.println("relayed endpoint verified from outside in " + verified.group(1) + " ms");
				assertThat(lab.getFromApp("/actuator/nat").output()).contains("\"reachability\":{\"status\":\"REACHABLE\"",
						"\"endpoint\":\"" + endpoint + "\"");
				assertThat(app.log()).doesNotContain("password=natlab");
			}
		}
	}

	@Test
	void behindAFullRouterNoRelayIsUsedUntilTheMappingIsRefusedAndItGoesWhenMappingWorksAgain() throws Exception {
		try (Lab lab = Lab.up("all", "--peer", "--lifetime", "6:3600")) {
			lab.ssh("start");
			List<String> arguments = new ArrayList<>(List.of(relay(lab, Lab.ROUTER_WAN.replace(".1", ".2"))));
			// A short lease: a router that stops answering is known to have lost the mapping once it expired.
			arguments.addAll(List.of("--nat.lease=10s", "--nat.max-retry-interval=2s",
					"--nat.relay.ssh.remote-port=40080"));
			try (SampleApp app = SampleApp.start(lab, arguments.toArray(String[]::new))) {
				app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
				Thread.sleep(1500);
				assertThat(app.log()).doesNotContain("reachable through relay");
				assertThat(lab.getFromApp("/actuator/nat").output()).contains("\"status\":\"STANDBY\"");
				// The router forgets the mapping and stops answering: PCP, NAT-PMP and UPnP all dropped. Until the
				// lease the router granted runs out, the mapping may still work for all the engine knows.
				lab.dropRouterTraffic();
				assertThat(lab.exec("router", "nft", "insert", "rule", "inet", "filter", "input", "tcp", "dport", "5000",
						"drop").ok()).isTrue();
				lab.router("flush");
				long refused = System.nanoTime();
				app.awaitLog(THROUGH_RELAY, Duration.ofSeconds(30));
				System.out.printf("mapping refused: relay up after %d ms%n",
						Duration.ofNanos(System.nanoTime() - refused).toMillis());
				awaitFrom(lab, "peer", "http://11.22.33.2:40080/", "Hello from the natboot sample app");
				// The router maps again: the relay is released.
				lab.exec("router", "nft", "flush", "chain", "inet", "filter", "input");
				long back = System.nanoTime();
				app.awaitLog(Pattern.compile("Relay ssh://root@11\\.22\\.33\\.2:22 released \\(standby\\)"),
						Duration.ofSeconds(30));
				System.out.printf("mapping works again: relay released after %d ms%n",
						Duration.ofNanos(System.nanoTime() - back).toMillis());
				assertThat(lab.getFromApp("/actuator/nat").output()).contains("\"status\":\"STANDBY\"",
						"\"reason\":\"mapped at 11.22.33.1:8080\"");
				assertThat(status(lab, "peer", "http://11.22.33.2:40080/")).isEqualTo("000");
				assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).output()).contains("Hello");
			}
		}
	}

	@Test
	void aWrongHostKeyIsRefusedAndNothingIsSentToTheServer() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat")) {
			lab.ssh("start");
			Path otherKey = lab.state().resolve("other_host");
			assertThat(Lab.run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", otherKey.toString())).ok()).isTrue();
			Path knownHosts = lab.state().resolve("wrong_known_hosts");
			String key = Files.readString(Path.of(otherKey + ".pub")).split(" ")[0] + " "
					+ Files.readString(Path.of(otherKey + ".pub")).split(" ")[1];
			Files.writeString(knownHosts, "100.64.0.2 " + key + "\n");
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2",
					"--nat.relay.ssh.known-hosts=file:" + knownHosts))) {
				Matcher refused = app.awaitLog(Pattern.compile("Relay ssh://root@100\\.64\\.0\\.2:22 is down \\(HOST_KEY_CHANGED\\): "
						+ "The relay server 100\\.64\\.0\\.2:22 offered ecdsa-sha2-nistp256 host key (SHA256:\\S+), not the one"),
						Duration.ofSeconds(60));
				assertThat(refused.group(1)).isNotBlank();
				String nat = lab.awaitFromApp("/actuator/nat", "HOST_KEY_CHANGED", Duration.ofSeconds(5));
				assertThat(nat).contains("\"status\":\"DISCONNECTED\"");
				assertThat(lab.getFromApp("/actuator/health/nat").output()).contains("HOST_KEY_CHANGED");
				assertThat(Files.readString(lab.state().resolve("sshd.log"))).doesNotContain("Accepted publickey");
				assertThat(app.log()).contains("Event: Relay lost (HOST_KEY_CHANGED)");
			}
		}
	}

	@Test
	void aUserKeyTheServerDoesNotKnowIsRefusedByName() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat")) {
			lab.ssh("start");
			Path otherKey = lab.state().resolve("other_user");
			assertThat(Lab.run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", otherKey.toString())).ok()).isTrue();
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2",
					"--nat.relay.ssh.private-key=file:" + otherKey))) {
				app.awaitLog(Pattern.compile("is down \\(AUTHENTICATION_FAILED\\): The relay server 100\\.64\\.0\\.2:22 refused "
						+ "user 'root' with key SHA256:\\S+: add the public key"), Duration.ofSeconds(60));
				assertThat(lab.awaitFromApp("/actuator/nat", "AUTHENTICATION_FAILED", Duration.ofSeconds(5)))
					.contains("\"status\":\"DISCONNECTED\"");
				assertThat(app.log()).doesNotContain("BEGIN OPENSSH", "PRIVATE KEY");
			}
		}
	}

	@Test
	void aServerThatBindsForwardsToItsLoopbackOnlyIsToldAsRefused() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat")) {
			lab.ssh("start", "NATLAB_SSH_GATEWAY_PORTS=no");
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2"))) {
				app.awaitLog(Pattern.compile("is down \\(FORWARD_REFUSED\\): The relay server 100\\.64\\.0\\.2:22 accepted the "
						+ "forward but listens on port \\d+ only on its loopback: set 'GatewayPorts clientspecified'"),
						Duration.ofSeconds(60));
				assertThat(app.log()).doesNotContain("reachable through relay");
			}
		}
	}

	@Test
	void aServerGoneAtStartupHoldsNothingUpAndIsUsedOnceItIsThere() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat", "--peer")) {
			lab.ssh("start"); // makes the keys
			lab.ssh("stop");
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2", "--nat.relay.ssh.remote-port=40080"))) {
				app.awaitLog(Pattern.compile("Started SampleApplication in"), Duration.ofSeconds(60));
				app.awaitLog(Pattern.compile("Relay ssh://root@100\\.64\\.0\\.2:22 is down \\(SERVER_UNREACHABLE\\): The relay "
						+ "server 100\\.64\\.0\\.2:22 cannot be reached: ConnectException: Connection refused"), Duration.ofSeconds(30));
				// The relay retries all the while (every 100 ms at first): between two attempts it is DISCONNECTED,
				// during one CONNECTING, the last attempt's error kept in either.
				assertThat(lab.awaitFromApp("/actuator/health/nat", "SERVER_UNREACHABLE", Duration.ofSeconds(5)))
					.containsPattern("\"relay\":\\{[^}]*\"status\":\"(DISCONNECTED|CONNECTING)\"");
				Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
				assertThat(metrics.value("nat_relay_state", "state", "disconnected").orElse(0)
						+ metrics.value("nat_relay_state", "state", "connecting").orElse(0)).isEqualTo(1);
				assertThat(metrics.value("nat_relay_state", "state", "connected")).hasValue(0);
				lab.ssh("start");
				long back = System.nanoTime();
				awaitFrom(lab, "peer", "http://100.64.0.2:40080/", "Hello from the natboot sample app");
				System.out.printf("relay server there after the app's start: relayed %d ms after sshd listened%n",
						Duration.ofNanos(System.nanoTime() - back).toMillis());
				assertThat(Pattern.compile("WARN.*Relay ssh://root@100\\.64\\.0\\.2:22 is down").matcher(app.log()).results()
					.count()).isOne();
			}
		}
	}

	@Test
	void aRemotePortTakenOnTheServerIsToldAsRefused() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat")) {
			lab.ssh("start");
			assertThat(lab.exec("inet", "sh", "-c", "setsid python3 -m http.server 40090 >/dev/null 2>&1 < /dev/null &").ok())
				.isTrue();
			Thread.sleep(500);
			try (SampleApp app = SampleApp.start(lab, relay(lab, "100.64.0.2", "--nat.relay.ssh.remote-port=40090"))) {
				app.awaitLog(Pattern.compile("is down \\(FORWARD_REFUSED\\): The relay server 100\\.64\\.0\\.2:22 refused to "
						+ "forward port 40090: the port is taken"), Duration.ofSeconds(60));
				// Between two attempts DISCONNECTED, during one CONNECTING: the error stays until a connect succeeds.
				assertThat(lab.awaitFromApp("/actuator/nat", "FORWARD_REFUSED", Duration.ofSeconds(5)))
					.containsPattern("\"status\":\"(DISCONNECTED|CONNECTING)\"").doesNotContain("\"status\":\"CONNECTED\"");
			}
		}
	}

	/** The sample app's arguments for the relay on the lab's sshd, as a user sets them: server, user, key, known hosts. */
	static String[] relay(Lab lab, String host, String... more) {
		List<String> arguments = new ArrayList<>(List.of("--nat.relay.ssh.host=" + host, "--nat.relay.ssh.username=root",
				"--nat.relay.ssh.private-key=file:" + lab.state().resolve("ssh/id_ecdsa"),
				"--nat.relay.ssh.known-hosts=file:" + lab.state().resolve("ssh/known_hosts")));
		for (String argument : more) {
			String name = argument.substring(0, argument.indexOf('=') + 1);
			arguments.removeIf((existing) -> existing.startsWith(name));
			arguments.add(argument);
		}
		return arguments.toArray(String[]::new);
	}

	static String awaitFrom(Lab lab, String host, String url, String wanted) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			last = lab.exec(host, "curl", "-sS", "--max-time", "2", url).output();
			if (last.contains(wanted)) {
				return last;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("No '" + wanted + "' from " + url + " on " + host + ": " + last);
	}

	static String status(Lab lab, String host, String url) {
		return lab.exec(host, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url).output().trim();
	}

}
