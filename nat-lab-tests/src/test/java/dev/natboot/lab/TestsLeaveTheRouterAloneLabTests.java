package dev.natboot.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's project with the starter runs its ordinary tests (a {@code @SpringBootTest} with a real server on a
 * random port, one in the mock environment with an extra port configured) on a machine behind the lab's router:
 * the router must see nothing from it. An nftables counter on the router's LAN side counts every IPv4 packet
 * the LAN host sends; the same tests with {@code nat.skip.in-tests=false} show what it counts when natboot does
 * act, and what used to happen by default.
 */
class TestsLeaveTheRouterAloneLabTests {


	private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+) bytes");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void anOrdinarySpringBootTestSendsTheRouterNothing() throws Exception {
		try (Lab lab = Lab.up("all")) {
			countPacketsFromTheLanHost(lab);
			Lab.Result run = runUserTests(lab);
			assertThat(run.output()).as(run.output()).containsPattern("\\[\\s+2 tests successful\\s+\\]");
			assertThat(run.exitCode()).as(run.output()).isZero();
			assertThat(run.output()).doesNotContain("is reachable at", "is mapped on the router");
			long packets = packetsFromTheLanHost(lab);
			System.out.printf("user's tests, nat.skip.in-tests default: %d packets at the router%n", packets);
			assertThat(packets).isZero();
			assertThat(lab.forwardingRules()).doesNotContain("dport");
		}
	}

	/** The control: opted in, the same tests map on the router, which the counter sees. */
	@Test
	void optedInTheSameTestsReachTheRouter() throws Exception {
		try (Lab lab = Lab.up("all")) {
			countPacketsFromTheLanHost(lab);
			Lab.Result run = runUserTests(lab, "-Dnat.skip.in-tests=false");
			assertThat(run.exitCode()).as(run.output()).isZero();
			assertThat(run.output()).contains("is reachable at");
			long packets = packetsFromTheLanHost(lab);
			System.out.printf("user's tests, nat.skip.in-tests=false: %d packets at the router%n", packets);
			assertThat(packets).isPositive();
		}
	}

	private static void countPacketsFromTheLanHost(Lab lab) {
		Lab.Result chain = lab.exec("router", "nft", "add", "chain", "inet", "filter", "count_lan",
				"{ type filter hook prerouting priority -300; policy accept; }");
		assertThat(chain.ok()).as(chain.output()).isTrue();
		Lab.Result rule = lab.exec("router", "nft", "add", "rule", "inet", "filter", "count_lan", "meta", "nfproto",
				"ipv4", "ip", "saddr", Lab.LAN_HOST, "counter");
		assertThat(rule.ok()).as(rule.output()).isTrue();
	}

	private static long packetsFromTheLanHost(Lab lab) {
		String chain = lab.exec("router", "nft", "list", "chain", "inet", "filter", "count_lan").output();
		Matcher matcher = PACKETS.matcher(chain);
		assertThat(matcher.find()).as(chain).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	/** The user's tests, launched as a build would launch them, on the lab's LAN host. */
	private static Lab.Result runUserTests(Lab lab, String... systemProperties) throws Exception {
		String classpath = Lab.testClasspath();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dnatboot.userapp=true", "-XX:TieredStopAtLevel=1"));
		command.addAll(List.of(systemProperties));
		command.addAll(List.of("-cp", classpath, "org.junit.platform.console.ConsoleLauncher", "execute",
				"--disable-banner", "--details=summary", "--select-package", "dev.natboot.lab.userapp"));
		return lab.exec("lan", command.toArray(String[]::new));
	}

}
