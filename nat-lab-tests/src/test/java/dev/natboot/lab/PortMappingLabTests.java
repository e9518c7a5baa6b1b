package dev.natboot.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app behind a real router: mapped on start, reachable from the internet side through the
 * mapping, visible to independent clients, and gone from the router after a normal stop.
 */
class PortMappingLabTests {

	private static final Path MEASUREMENTS = Path.of("target", "lab-measurements.csv");

	private static final String RULE = "dport 8080 dnat ip to " + Lab.LAN_HOST + ":8080";

	private static final String UPNP_ENTRY = "TCP  8080->" + Lab.LAN_HOST + ":8080";

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@ParameterizedTest(name = "router {0}, IGD {1}, nat.mode={2}: mapped with {3}")
	@CsvSource({ "all, v2, any, PCP", "pmp-only, v2, any, NAT-PMP", "upnp-only, v2, any, UPnP",
			"upnp-only, v1, any, UPnP", "all, v2, pcp, PCP", "all, v2, pmp, NAT-PMP", "all, v2, upnp, UPnP",
			"all, v1, upnp:192.0.2.1, UPnP", "pmp-only, v2, pmp:192.0.2.1, NAT-PMP" })
	void mapsTheServerPortReachablyAndReleasesItAtStop(String router, String igd, String mode, String protocol)
			throws Exception {
		try (Lab lab = Lab.up(router, "--igd", igd); SampleApp app = SampleApp.start(lab, "--nat.mode=" + mode)) {
			Matcher reachable = app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			assertThat(reachable.group(1)).isEqualTo("8080");
			assertThat(reachable.group(2)).isEqualTo(Lab.ROUTER_WAN);
			assertThat(reachable.group(3)).isEqualTo("8080");
			assertThat(reachable.group(4)).isEqualTo(protocol);
			assertThat(reachable.group(5)).isEqualTo("192.0.2.1");
			// miniupnpd's min_lifetime is 120 s: the router's answer wins over the 180 s asked for only when lower.
			assertThat(Long.parseLong(reachable.group(6))).isBetween(120L, 180L);
			record(router + "/" + igd, mode, protocol, reachable.group(7));

			assertThat(lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app",
					Duration.ofSeconds(20)))
				.contains("server: 8080/TCP ACTIVE at " + Lab.ROUTER_WAN + ":8080 via " + protocol + ", renewed 0 times");
			assertThat(lab.forwardingRules()).contains(RULE);
			assertThat(lab.upnpList()).contains(UPNP_ENTRY);
			Lab.Result health = lab.exec("lan", "curl", "-sS", "--max-time", "3",
					"http://" + Lab.LAN_HOST + ":8080/actuator/health");
			assertThat(health.output()).as(health.output())
				.containsPattern("\"nat\":\\{\"details\":\\{\"mode\":\"[^\"]+\",\"router\":\\{[^}]*\"status\":\"answering\""
						+ "[^}]*\"behindAnotherNat\":false\\},\"mappings\":\\{\"server\":\\{"
						+ "\"state\":\"ACTIVE\"[^}]*\"protocol\":\"" + protocol + "\"[^}]*\"externalAddress\":\""
						+ Lab.ROUTER_WAN + "\"[^}]*\\}\\}\\},\"status\":\"UP\"\\}");
			Lab.Result nat = lab.exec("lan", "curl", "-sS", "--max-time", "3", "http://" + Lab.LAN_HOST + ":8080/actuator/nat");
			assertThat(nat.output()).as(nat.output())
				.contains("\"gateway\":{\"address\":\"192.0.2.1:")
				.contains("\"protocol\":\"" + protocol + "\",\"answered\":[")
				.contains("\"externalAddress\":\"" + Lab.ROUTER_WAN + "\",\"externalAddressScope\":\"PUBLIC\"")
				.containsPattern("\"server\":\\{\"state\":\"ACTIVE\",\"transport\":\"TCP\",\"internalPort\":8080,"
						+ "\"externalAddress\":\"" + Lab.ROUTER_WAN + "\",\"externalPort\":8080,\"protocol\":\"" + protocol + "\"");

			Duration stopped = app.stop(Duration.ofSeconds(20));
			assertThat(app.log()).contains("Web server port 8080/TCP is no longer mapped on the router");
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
			assertThat(lab.upnpList()).doesNotContain(UPNP_ENTRY);
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isFalse();
			System.out.printf("router %s (IGD %s), mode %s: %s confirmed in %s ms, stopped in %d ms%n", router, igd, mode,
					protocol, reachable.group(7), stopped.toMillis());
		}
	}

	@Test
	void honoursTheRoutersLifetimeAndRenewsBeforeItRunsOut() throws Exception {
		// The router grants at most 4 s whatever is asked: renewals come every 2-2.5 s.
		try (Lab lab = Lab.up("pcp", "--lifetime", "1:4"); SampleApp app = SampleApp.start(lab, "--nat.lease=10m")) {
			Matcher reachable = app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			assertThat(reachable.group(6)).isEqualTo("4");
			Thread.sleep(5500); // past the first lease: only renewals keep the mapping
			Lab.Result response = lab.httpFromInternet(Lab.ROUTER_WAN, 8080);
			assertThat(response.ok()).as(response.output()).isTrue();
			Matcher renewed = Pattern.compile("renewed (\\d+) times").matcher(response.output());
			assertThat(renewed.find()).as(response.output()).isTrue();
			// Reachable past the 4 s lease proves a renewal; a second may or may not have happened by now.
			assertThat(Integer.parseInt(renewed.group(1))).isGreaterThanOrEqualTo(1);
			assertThat(lab.forwardingRules()).contains(RULE);
			app.stop(Duration.ofSeconds(20));
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
		}
	}

	@Test
	void theEndpointReleasesAndRemapsWhenWriteAccessIsGranted() throws Exception {
		try (Lab lab = Lab.up("all");
				SampleApp app = SampleApp.start(lab, "--management.endpoint.nat.access=unrestricted")) {
			app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			assertThat(lab.forwardingRules()).contains(RULE);
			assertThat(postAction(lab, "release")).contains("\"state\":");
			awaitRule(lab, false);
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isFalse();
			assertThat(postAction(lab, "remap")).contains("\"state\":");
			awaitRule(lab, true);
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).output()).contains("Hello from the natboot sample app");
			assertThat(lab.exec("lan", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H",
					"Content-Type: application/json", "-d", "{\"action\":\"remap\"}",
					"http://" + Lab.LAN_HOST + ":8080/actuator/nat/nope").output()).isEqualTo("404");
		}
	}

	private static String postAction(Lab lab, String action) {
		return lab.exec("lan", "curl", "-sS", "--max-time", "3", "-X", "POST", "-H", "Content-Type: application/json",
				"-d", "{\"action\":\"" + action + "\"}", "http://" + Lab.LAN_HOST + ":8080/actuator/nat/server").output();
	}

	private static void awaitRule(Lab lab, boolean present) throws InterruptedException {
		for (int i = 0; i < 50 && lab.forwardingRules().contains(RULE) != present; i++) {
			Thread.sleep(100);
		}
		assertThat(lab.forwardingRules().contains(RULE)).isEqualTo(present);
	}

	@Test
	void mapsExtraPortsFromConfiguration() throws Exception {
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.start(lab, "--nat.mappings.game.internal-port=27015",
				"--nat.mappings.game.protocol=udp", "--nat.mappings.game.external-port=27016")) {
			app.awaitLog(Pattern.compile("Port of mapping 'game' 27015/UDP is reachable at " + Lab.ROUTER_WAN + ":27016"),
					Duration.ofSeconds(60));
			// UDP (protocol 17 = 0x11), external 27016 to the LAN host's 27015.
			assertThat(lab.forwardingRules()).contains("0x11 th dport 27016 dnat ip to " + Lab.LAN_HOST + ":27015");
			app.stop(Duration.ofSeconds(20));
			assertThat(lab.forwardingRules()).doesNotContain("dnat");
		}
	}

	@Test
	void withoutAMappingNothingGetsIn() throws Exception {
		try (Lab lab = Lab.up("pcp"); SampleApp app = SampleApp.start(lab, "--nat.enabled=false")) {
			app.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			assertThat(lab.exec("lan", "curl", "-sS", "--max-time", "3", "http://" + Lab.LAN_HOST + ":8080/").output())
				.contains("natboot is disabled");
			assertThat(lab.httpFromInternet(Lab.ROUTER_WAN, 8080).ok()).isFalse();
			assertThat(lab.forwardingRules()).doesNotContain("dnat");
		}
	}

	@Test
	void stopIsBoundedWhenTheRouterVanished() throws Exception {
		try (Lab lab = Lab.up("pcp");
				SampleApp app = SampleApp.start(lab, "--nat.shutdown-timeout=1500ms", "--spring.lifecycle.timeout-per-shutdown-phase=30s")) {
			app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			lab.dropRouterTraffic();
			Duration stopped = app.stop(Duration.ofSeconds(20));
			assertThat(app.log()).contains("Router did not confirm the release of every mapping within 1500 ms");
			// The release waits at most 1.5 s; the rest is the JVM and Spring stopping.
			assertThat(stopped).isLessThan(Duration.ofSeconds(6));
			System.out.printf("router gone: stopped in %d ms%n", stopped.toMillis());
		}
	}

	private static void record(String router, String mode, String protocol, String millis) throws IOException {
		Files.createDirectories(MEASUREMENTS.getParent());
		Files.writeString(MEASUREMENTS, router + "," + mode + "," + protocol + "," + millis + "\n",
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

}
