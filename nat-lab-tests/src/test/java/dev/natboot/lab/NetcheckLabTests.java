package dev.natboot.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar natboot-cli.jar netcheck} on the lab's LAN host, in each network the lab builds: what it
 * says, its exit code, how long it takes, and that it leaves nothing on the router.
 */
@Isolated("timed: netcheck under 3 s")
class NetcheckLabTests {

	private static final Path CLI = Lab.ROOT.resolve("nat-cli/target/natboot-cli.jar");

	private static final String[] TURN = { "--turn", "turn:11.22.33.2", "--turn-user", "natlab", "--turn-password",
			"natlab" };

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	private static Lab.Result netcheck(Lab lab, String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", CLI.toString(), "netcheck"));
		command.addAll(List.of(args));
		return lab.exec("lan", command.toArray(String[]::new));
	}

	private static long took(String output) {
		Matcher took = Pattern.compile("took:\\s+(\\d+) ms").matcher(output);
		assertThat(took.find()).as(output).isTrue();
		return Long.parseLong(took.group(1));
	}

	@Test
	void aRouterWithEveryProtocolIsReachableInUnderThreeSecondsAndLeftAsItWas() {
		try (Lab lab = Lab.up("all", "--stun")) {
			String before = lab.forwardingRules();
			List<String> args = new ArrayList<>(List.of("--stun", "11.22.33.2"));
			args.addAll(List.of(TURN));
			Lab.Result result = netcheck(lab, args.toArray(String[]::new));
			String out = result.output();
			assertThat(result.exitCode()).as(out).isZero();
			assertThat(out).contains("gateway:          192.0.2.1", "PCP:              answers",
					"NAT-PMP:          answers", "external address 11.22.33.1", "UPnP:             answers",
					"IGD v2", "external address: 11.22.33.1 (public)", "STUN:             sees 11.22.33.1, NAT type "
							+ "port-restricted cone", "mapped at 11.22.33.1:", "from outside:     REACHABLE",
					"verdict:          reachable from outside")
				.doesNotContain("another NAT");
			System.out.println("netcheck, every protocol, STUN and TURN: " + took(out) + " ms");
			assertThat(took(out)).isLessThan(3000);
			assertThat(lab.forwardingRules()).isEqualTo(before);
			assertThat(lab.upnpList()).doesNotContain("natboot netcheck");
		}
	}

	@Test
	void asJsonItSaysTheSame() {
		try (Lab lab = Lab.up("all")) {
			Lab.Result result = netcheck(lab, "--json");
			assertThat(result.exitCode()).as(result.output()).isZero();
			assertThat(result.output().strip()).startsWith("{\"gateway\":\"192.0.2.1\"")
				.contains("\"protocol\":\"PCP\",\"answered\":true", "\"externalAddress\":\"11.22.33.1\"",
						"\"exitCode\":0")
				.endsWith("}");
		}
	}

	@Test
	void aUpnpOnlyRouterIsFoundByUpnpAlone() {
		try (Lab lab = Lab.up("upnp-only")) {
			List<String> args = new ArrayList<>(List.of(TURN));
			Lab.Result result = netcheck(lab, args.toArray(String[]::new));
			assertThat(result.output()).contains("PCP:              no", "NAT-PMP:          no",
					"UPnP:             answers");
			// No coturn in this lab: the check from outside fails, and says so.
			assertThat(result.exitCode()).as(result.output()).isEqualTo(5);
		}
	}

	@Test
	void withoutARouterDaemonNothingMapsAndARelayIsTheWayIn() {
		try (Lab lab = Lab.up("none")) {
			Lab.Result result = netcheck(lab);
			assertThat(result.exitCode()).as(result.output()).isEqualTo(4);
			assertThat(result.output()).contains("verdict:          no router maps ports here");
			assertThat(took(result.output())).isLessThan(3000);
		}
	}

	@Test
	void behindADoubleNatTheOtherNatIsNamed() {
		try (Lab lab = Lab.up("all", "--wan", "double", "--stun")) {
			List<String> args = new ArrayList<>(List.of("--stun", "11.22.33.2"));
			args.addAll(List.of(TURN));
			Lab.Result result = netcheck(lab, args.toArray(String[]::new));
			assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
			assertThat(result.output()).contains("another NAT:      the internet sees this host at 11.22.33.1, the "
					+ "router says 11.22.34.1", "from outside:     UNREACHABLE");
		}
	}

	/**
	 * Behind carrier-grade NAT miniupnpd refuses every mapping and NAT-PMP and UPnP say 0.0.0.0; the test
	 * mapping's PCP refusal names the shared address.
	 */
	@Test
	void behindCarrierGradeNatTheSharedAddressIsNamed() {
		try (Lab lab = Lab.up("all", "--wan", "cgnat")) {
			Lab.Result plain = netcheck(lab);
			assertThat(plain.exitCode()).as(plain.output()).isEqualTo(3);
			assertThat(plain.output()).contains("external address: 0.0.0.0 (unspecified)", "another NAT:");
			Lab.Result mapped = netcheck(lab, "--turn", "turn:100.64.0.2", "--turn-user", "natlab", "--turn-password",
					"natlab");
			assertThat(mapped.exitCode()).as(mapped.output()).isEqualTo(3);
			assertThat(mapped.output()).contains("external address: 100.64.0.1 (shared)",
					"another NAT:      the router's external address 100.64.0.1 is shared", "no router mapped it");
		}
	}

	@Test
	void aFilterUpstreamIsMappedButUnreachable() {
		try (Lab lab = Lab.up("all", "--stun")) {
			Lab.Result filter = lab.exec("inet", "sh", "-c", "nft add table inet upstream && nft add chain inet upstream "
					+ "out '{ type filter hook output priority 0; }' && nft add rule inet upstream out ip daddr "
					+ Lab.ROUTER_WAN + " tcp dport 8090 drop");
			assertThat(filter.exitCode()).as(filter.output()).isZero();
			List<String> args = new ArrayList<>(List.of("--port", "8090"));
			args.addAll(List.of(TURN));
			Lab.Result result = netcheck(lab, args.toArray(String[]::new));
			assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
			assertThat(result.output()).contains("mapped at 11.22.33.1:8090", "from outside:     UNREACHABLE",
					"a filter upstream, or a router that does not forward");
		}
	}

	@Test
	void refusedTurnCredentialsAreACheckThatFailed() {
		try (Lab lab = Lab.up("all", "--stun")) {
			Lab.Result result = netcheck(lab, "--turn", "turn:11.22.33.2", "--turn-user", "natlab", "--turn-password",
					"wrong-secret");
			assertThat(result.exitCode()).as(result.output()).isEqualTo(5);
			assertThat(result.output()).contains("refused the credentials (401)").doesNotContain("wrong-secret");
		}
	}

}
