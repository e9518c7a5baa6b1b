package dev.natboot.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rogue device on the LAN ({@code lab/rogue.py}, at an address of its own) throws everything at the app:
 * SSDP answers with XXE, other hosts' and file: LOCATIONs, huge, endless and slow-drip descriptions, forged
 * UPnP, PCP and NAT-PMP "router restarted" announcements and garbage at every UDP port the app holds. A host
 * on the internet side records whether the app ever contacts it.
 */
class RogueDeviceLabTests {

	private static final String ROGUE = "192.0.2.66";

	private static final String OTHER_HOST = Lab.ROUTER_WAN.replace(".1", ".2") + ":8000";

	private final List<Process> processes = new ArrayList<>();

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void theAppKeepsUsingTheRealRouterAndIgnoresTheRogue() throws Exception {
		Path rogueLog = Files.createTempFile("rogue", ".log");
		Path otherHostLog = Files.createTempFile("other-host", ".log");
		try (Lab lab = Lab.up("all")) {
			startRogue(lab, rogueLog, otherHostLog);
			try (SampleApp app = SampleApp.start(lab)) {
				assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo("PCP");
				Thread.sleep(12_000); // some sixty forged announcements and garbage bursts
				assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isTrue();
				String log = app.log();
				assertThat(log).doesNotContain("Router lost its mappings", "started again", "said goodbye",
						"Mapping 'server' (8080/TCP) failed", "root:x:0:0");
				// Renewals of a three minute lease are not due yet: any renewal would be a forged announcement
				// taken for the router's.
				String metrics = lab.exec("lan", "curl", "-sS", "http://" + Lab.LAN_HOST + ":8080/actuator/prometheus")
					.output();
				assertThat(metrics).doesNotContainPattern("nat_mapping_operations_seconds_count\\{[^}]*operation=\"renew\"");
				// Mode any asks UPnP only when PCP is slow or fails: the rogue's answers may never be solicited,
				// and if they are (a slow router), none is followed.
				assertThat(Files.readString(rogueLog)).doesNotContain("HTTP GET", "HTTP POST");
				assertThat(Files.readString(otherHostLog)).isEmpty();
			}
		}
	}

	@Test
	void searchingForUpnpTheAppAnswersOnlyTheGatewaysOwnAnswer() throws Exception {
		Path rogueLog = Files.createTempFile("rogue", ".log");
		Path otherHostLog = Files.createTempFile("other-host", ".log");
		try (Lab lab = Lab.up("all")) {
			startRogue(lab, rogueLog, otherHostLog);
			try (SampleApp app = SampleApp.start(lab, "--nat.mode=upnp")) {
				assertThat(app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60)).group(4)).isEqualTo("UPnP");
				Thread.sleep(3000); // the rogue's forged NOTIFYs and garbage keep coming
				assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isTrue();
				assertThat(app.log()).doesNotContain("started again", "Mapping 'server' (8080/TCP) failed",
						"root:x:0:0");
				// The rogue heard the search and answered it, faster than the router; its LOCATIONs (its own
				// address, another host, file:) were never read.
				assertThat(Files.readString(rogueLog)).contains("SSDP search from " + Lab.LAN_HOST)
					.doesNotContain("HTTP GET", "HTTP POST");
				assertThat(Files.readString(otherHostLog)).isEmpty();
			}
		}
	}

	@Test
	void pointedAtTheRogueTheAppBoundsEverythingItServesAndReadsNoFile() throws Exception {
		Path rogueLog = Files.createTempFile("rogue", ".log");
		Path otherHostLog = Files.createTempFile("other-host", ".log");
		try (Lab lab = Lab.up("all")) {
			startRogue(lab, rogueLog, otherHostLog);
			try (SampleApp app = SampleApp.start(lab, "--nat.mode=upnp:" + ROGUE, "--nat.max-retry-interval=2s")) {
				app.awaitLog(java.util.regex.Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
				long started = System.nanoTime();
				// Every retry gets the next poison: XXE, another host, file:, huge, endless, slow drip.
				while (System.nanoTime() - started < Duration.ofSeconds(40).toNanos()) {
					String rogue = Files.readString(rogueLog);
					if (rogue.contains("GET /drip.xml") && rogue.contains("GET /endless.xml")
							&& rogue.contains("GET /huge.xml") && rogue.contains("GET /xxe.xml")) {
						break;
					}
					Thread.sleep(500);
				}
				String rogue = Files.readString(rogueLog);
				assertThat(rogue).as(app.log()).contains("GET /xxe.xml", "GET /huge.xml", "GET /endless.xml", "GET /drip.xml")
					.doesNotContain("POST");
				Thread.sleep(3000); // the slow drip's bound runs out
				String health = lab.exec("lan", "curl", "-sS", "--max-time", "2",
						"http://" + Lab.LAN_HOST + ":8080/actuator/health/nat").output();
				assertThat(health).contains("\"state\":\"RETRYING\"").doesNotContain("root:");
				String metrics = lab.exec("lan", "curl", "-sS", "--max-time", "2",
						"http://" + Lab.LAN_HOST + ":8080/actuator/prometheus").output();
				assertThat(metrics).containsPattern("nat_mapping_failures_total\\{[^}]*error=\"malformed-response\"")
					.containsPattern("nat_mapping_failures_total\\{[^}]*error=\"no-response\"");
				int threads = (int) Prometheus.parse(metrics).value("jvm_threads_live_threads").orElseThrow();
				assertThat(threads).isLessThan(60);
				assertThat(app.log()).doesNotContain("root:x:0:0", "OutOfMemoryError");
				// The app never left the rogue: not the XXE's remote entity, not the other host's LOCATION.
				assertThat(Files.readString(otherHostLog)).isEmpty();
				System.out.printf("rogue gateway: %d requests bounded, %d live threads, other host contacted %d times%n",
						rogue.lines().filter((line) -> line.startsWith("HTTP GET")).count(), threads,
						Files.readAllLines(otherHostLog).size());
			}
		}
	}

	private void startRogue(Lab lab, Path rogueLog, Path otherHostLog) throws IOException, InterruptedException {
		Lab.Result added = lab.exec("lan", "sh", "-c", "ip addr add " + ROGUE + "/24 dev $(ip -o -4 addr show | awk '/"
				+ Lab.LAN_HOST + "\\//{print $2}')");
		assertThat(added.ok()).as(added.output()).isTrue();
		String[] other = OTHER_HOST.split(":");
		this.processes.add(start(lab, "inet", List.of("python3", "-c", """
				import socket, sys
				s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
				s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16)
				while True:
				    c, a = s.accept()
				    open(sys.argv[3], 'a').write('connection from %s\\n' % a[0]); c.close()
				""", other[0], other[1], otherHostLog.toString())));
		this.processes.add(start(lab, "lan", List.of("python3", Lab.ROOT.resolve("lab/rogue.py").toString(), "--address",
				ROGUE, "--victim", Lab.LAN_HOST, "--other-host", OTHER_HOST, "--log", rogueLog.toString())));
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!Files.readString(rogueLog, StandardCharsets.UTF_8).contains("rogue up")) {
			assertThat(System.nanoTime()).as("rogue device started").isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	private static Process start(Lab lab, String host, List<String> command) throws IOException {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace(host)));
		full.addAll(command);
		return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
	}

}
