package dev.natboot.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app built with Spring AOT processing ({@code -Paot}, as {@code scripts/test.sh} builds it) and run
 * with {@code -Dspring.aot.enabled=true} behind the real router: mapped, reachable from the internet, released at
 * stop. What AOT fixed at build time (which beans exist) and what stays a run-time switch.
 */
class AotLabTests {

	private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");

	private static final String RULE = "dport 8080 dnat ip to " + Lab.LAN_HOST + ":8080";

	@BeforeAll
	static void requireLabAndAotBuild() throws IOException {
		Lab.requireLab();
		boolean processed;
		try (JarFile jar = new JarFile(SampleApp.JAR.toFile())) {
			processed = jar.getEntry("BOOT-INF/classes/dev/natboot/sample/SampleApplication__ApplicationContextInitializer.class") != null;
		}
		if (!processed) {
			String problem = SampleApp.JAR + " was built without AOT processing: build with -Paot (scripts/test.sh does)";
			if ("true".equals(System.getenv("CI"))) {
				Assertions.fail(problem + " (CI=true: lab tests never skip)");
			}
			System.err.println("*** SKIPPED: " + problem + " ***");
			Assumptions.abort(problem);
		}
	}

	@Test
	void theAotProcessedAppIsMappedReachableAndReleased() throws Exception {
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.startOn(lab, "lan", AOT)) {
			assertThat(app.awaitLog(Pattern.compile("Starting AOT-processed SampleApplication"),
					Duration.ofSeconds(60))).isNotNull();
			Matcher reachable = app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			assertThat(reachable.group(4)).isEqualTo("PCP");
			assertThat(lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app",
					Duration.ofSeconds(20)))
				.contains("server: 8080/TCP ACTIVE at " + Lab.ROUTER_WAN + ":8080 via PCP");
			assertThat(lab.forwardingRules()).contains(RULE);
			Lab.Result nat = lab.exec("lan", "curl", "-sS", "--max-time", "3", "http://" + Lab.LAN_HOST + ":8080/actuator/nat");
			assertThat(nat.output()).as(nat.output()).contains("\"mode\":\"any\"").contains("\"state\":\"ACTIVE\"");
			// The actuator shares the mapped port: shielded from the internet in AOT mode too.
			Lab.Result outside = lab.exec("inet", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time",
					"5", "http://" + Lab.ROUTER_WAN + ":8080/actuator/health");
			assertThat(outside.output()).isEqualTo("404");
			app.stop(Duration.ofSeconds(20));
			assertThat(app.log()).contains("Web server port 8080/TCP is no longer mapped on the router");
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
		}
	}

	/** nat.mode is bound at run time: mode none maps nothing, whatever the build saw. */
	@Test
	void theModeStaysARunTimeSwitch() throws Exception {
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.startOn(lab, "lan", AOT, "--nat.mode=none")) {
			app.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			Lab.Result nat = lab.exec("lan", "curl", "-sS", "--max-time", "3", "http://" + Lab.LAN_HOST + ":8080/actuator/nat");
			assertThat(nat.output()).as(nat.output()).contains("\"mode\":\"none\"");
			Thread.sleep(1000);
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
		}
	}

	/**
	 * nat.enabled and nat.server.enabled decide at build time which beans exist; at run time natboot still reads
	 * them and keeps those beans inert: nothing is mapped, and the endpoint says why.
	 */
	@Test
	void disablingAtRunTimeKeepsTheBuildTimeBeansInert() throws Exception {
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.startOn(lab, "lan", AOT, "--nat.enabled=false")) {
			app.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			Lab.Result nat = lab.exec("lan", "curl", "-sS", "--max-time", "3", "http://" + Lab.LAN_HOST + ":8080/actuator/nat");
			assertThat(nat.output()).as(nat.output()).contains("disabled (nat.enabled=false)");
			Thread.sleep(1000);
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
		}
		try (Lab lab = Lab.up("all"); SampleApp app = SampleApp.startOn(lab, "lan", AOT, "--nat.server.enabled=false")) {
			app.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			Thread.sleep(1000);
			assertThat(lab.forwardingRules()).doesNotContain(RULE);
			assertThat(app.log()).doesNotContain("is reachable at");
		}
	}

}
