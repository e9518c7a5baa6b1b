package dev.natboot.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.natboot.lab.IceSites.all;
import static dev.natboot.lab.IceSites.connectNatboots;
import static dev.natboot.lab.IceSites.exchangeLines;
import static dev.natboot.lab.IceSites.nat;
import static dev.natboot.lab.IceSites.router;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICE-TCP (RFC 6544) between two sites whose routers forward no UDP at all ({@code natlab --block-udp}), each a
 * LAN host behind its own router and NAT, coturn on the internet host answering STUN over TCP: two
 * {@code natboot-cli ice --tcp-only}, or natboot and libnice's ICE-TCP. Each run connects, then a line crosses
 * each way over the TCP connection.
 */
class IceTcpLabTests {

	private static final Duration TIMEOUT = IceSites.TIMEOUT;

	private static final Pattern NATBOOT_CONNECTED = IceSites.NATBOOT_CONNECTED;

	private static final Pattern FOREIGN_CONNECTED = Pattern.compile("connected in (\\d+) ms local=(\\w+) remote=(\\w+)");

	private static final String[] TCP_ONLY = { "--tcp-only", "--stun", Lab.STUN };

	private static final String[] TURN = { "--turn", "turn:" + Lab.STUN, "--turn-user", "natlab", "--turn-password",
			"natlab" };

	private static final Map<String, String> matrix = new ConcurrentHashMap<>();

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
		IcePeer.buildLibnicePeer();
	}

	@AfterAll
	static void printMatrix() {
		matrix.entrySet().stream().sorted(Map.Entry.comparingByKey())
			.forEach((row) -> System.out.println("ICE-TCP matrix: " + row.getKey() + " -> " + row.getValue()));
	}

	@Test
	void twoAgentsBehindPlainNatsThatBlockUdpConnectByTcpSimultaneousOpen() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none", "--block-udp");
				IcePeer one = IcePeer.natboot(lab, "lan", TCP_ONLY);
				IcePeer two = IcePeer.natboot(lab, "lan2", TCP_ONLY)) {
			Matcher[] connected = connectNatboots(one, two);
			for (Matcher line : connected) {
				assertThat(line.group(2) + " " + line.group(3)).as("local candidate").matches("(srflx|prflx) .*/tcp-so");
				assertThat(line.group(4) + " " + line.group(5)).as("remote candidate").matches("(srflx|prflx) .*/tcp-so");
			}
			assertThat(List.of(connected[0].group(7), connected[1].group(7))).as("the role conflict was settled")
				.containsExactlyInAnyOrder("controlling", "controlled");
			exchangeLines(one, two);
		}
	}

	@Test
	void withUdpOpenAnAgentWithBothTransportsConnectsOverUdp() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none");
				IcePeer one = IcePeer.natboot(lab, "lan", "--tcp", "--stun", Lab.STUN);
				IcePeer two = IcePeer.natboot(lab, "lan2", "--tcp", "--stun", Lab.STUN, "--controlled")) {
			Matcher[] connected = connectNatboots(one, two);
			assertThat(connected[0].group(3)).as("a UDP endpoint").doesNotContain("/tcp");
			assertThat(connected[0].group(5)).as("a UDP endpoint").doesNotContain("/tcp");
			exchangeLines(one, two);
		}
	}

	static Stream<Arguments> sites() {
		List<String> kinds = List.of("plain", "random", "plain+router", "random+router");
		List<Arguments> pairs = new ArrayList<>();
		for (int i = 0; i < kinds.size(); i++) {
			for (int j = i; j < kinds.size(); j++) {
				pairs.add(Arguments.of(kinds.get(i), kinds.get(j)));
			}
		}
		return pairs.stream();
	}

	/**
	 * With UDP blocked, every pair of sites connects over TCP: directly where a direct path can exist
	 * (simultaneous open where both NATs map endpoint-independently, the peer's active candidate to a port-mapped
	 * passive one where a router maps), through coturn's TCP relay (RFC 6062) otherwise: no router, and a
	 * symmetric NAT on either side, whose SYNs leave from a port the other side never saw (Linux's masquerade
	 * filters by address and port, so a plain NAT lets nothing in either).
	 */
	@ParameterizedTest(name = "{0} / {1}")
	@MethodSource("sites")
	void everyPairOfSitesConnectsOverTcpWithUdpBlockedDirectlyWhenItCanAndRelayedOtherwise(String site1, String site2)
			throws Exception {
		List<String> options = new ArrayList<>(List.of("--stun", "--router", router(site1), "--nat", nat(site1),
				"--site2", router(site2), "--nat2", nat(site2), "--block-udp"));
		try (Lab lab = Lab.upWith(options);
				IcePeer one = IcePeer.natboot(lab, "lan", all(TCP_ONLY, TURN, new String[] { "--map" }));
				IcePeer two = IcePeer.natboot(lab, "lan2", all(TCP_ONLY, TURN, new String[] { "--map", "--controlled" }))) {
			Matcher[] connected = connectNatboots(one, two);
			String path = connected[0].group(2) + " " + connected[0].group(3) + " <-> " + connected[0].group(4) + " "
					+ connected[0].group(5);
			matrix.put(site1 + " / " + site2,
					path.replaceAll("[0-9.]+:\\d+", "") + " in " + connected[0].group(1) + "/" + connected[1].group(1) + " ms");
			assertThat(connected[0].group(3)).contains("/tcp-");
			boolean direct = directPathExists(site1, site2);
			assertThat(path.contains("relay")).as("relayed (" + path + ") though a direct path can exist: " + direct)
				.isEqualTo(!direct);
			if (direct && !site1.endsWith("router") && !site2.endsWith("router")) {
				assertThat(path).as("no router maps: only simultaneous open goes through").contains("/tcp-so");
			}
			exchangeLines(one, two);
		}
	}

	/** Without a direct path and without a TURN server, the agents give up at their timeout with a typed error. */
	@Test
	void withoutADirectPathOrARelayAndWithUdpBlockedTheAgentsFailInTimeWithATypedError() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--nat", "random", "--site2", "none", "--nat2", "random",
				"--block-udp");
				IcePeer one = IcePeer.natboot(lab, "lan", all(TCP_ONLY, new String[] { "--timeout", "4" }));
				IcePeer two = IcePeer.natboot(lab, "lan2", all(TCP_ONLY, new String[] { "--timeout", "4", "--controlled" }))) {
			String first = one.description(TIMEOUT);
			String second = two.description(TIMEOUT);
			one.type(second);
			two.type(first);
			Matcher failed = one.await(Pattern.compile("ice: not connected: No pair of (\\d+) connected within 4000 ms"),
					Duration.ofSeconds(10));
			assertThat(Integer.parseInt(failed.group(1))).isPositive();
		}
	}

	private static boolean directPathExists(String site1, String site2) {
		return site1.endsWith("router") || site2.endsWith("router") || (nat(site1).equals("masquerade")
				&& nat(site2).equals("masquerade"));
	}

	/**
	 * TCP hole punching through two plain NATs with UDP blocked: both learn their public TCP endpoint from STUN
	 * over TCP, agree on the time over the signalling (DCUtR's round trip and go message) and connect from the
	 * port they asked from.
	 */
	@Test
	void twoPeersThatKnowEachOthersTcpEndpointPunchThroughTwoPlainNatsAtTheTimeTheyAgreed() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none", "--block-udp");
				IcePeer one = tcpPunchDriver(lab, "lan", "one", "initiator");
				IcePeer two = tcpPunchDriver(lab, "lan2", "two", "responder")) {
			Pattern endpoint = Pattern.compile("^endpoint=\\S+ local=\\d+$");
			String first = one.await(endpoint, TIMEOUT).group();
			String second = two.await(endpoint, TIMEOUT).group();
			assertThat(first).startsWith("endpoint=" + Lab.ROUTER_WAN + ":");
			one.type(second + "\n");
			two.type(first + "\n");
			one.await(Pattern.compile("^probe$"), TIMEOUT);
			two.type("probe\n");
			two.await(Pattern.compile("^answer$"), TIMEOUT);
			one.type("answer\n");
			one.await(Pattern.compile("^go$"), TIMEOUT);
			two.type("go\n");
			Pattern punched = Pattern.compile("punched in (\\d+) ms tries=(\\d+) accepted=(\\w+) rtt=(\\d+) us");
			Matcher ours = one.await(punched, TIMEOUT);
			Matcher theirs = two.await(punched, TIMEOUT);
			matrix.put("TCP hole punch, plain / plain", "punched in " + ours.group(1) + "/" + theirs.group(1) + " ms, "
					+ ours.group(2) + "/" + theirs.group(2) + " tries, signalling round trip " + ours.group(4) + " us");
			one.await(Pattern.compile("^< hello from two$"), TIMEOUT);
			two.await(Pattern.compile("^< hello from one$"), TIMEOUT);
		}
	}

	private static IcePeer tcpPunchDriver(Lab lab, String host, String name, String role) throws Exception {
		return IcePeer.start("tcp-punch@" + host, lab.namespace(host), List.of(
				java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				Lab.testClasspath(), "dev.natboot.lab.driver.TcpHolePunchDriver", Lab.STUN, name, role));
	}

	@ParameterizedTest(name = "natboot {0}")
	@ValueSource(strings = { "controlling", "controlled" })
	void natbootAndLibniceConnectOverIceTcpWithUdpBlocked(String role) throws Exception {
		String theirRole = role.equals("controlling") ? "controlled" : "controlling";
		// libnice gathers active and passive candidates, no simultaneous-open one: its active candidate connects
		// to natboot's port-mapped passive one
		try (Lab lab = Lab.up("all", "--stun", "--site2", "none", "--block-udp");
				IcePeer natboot = IcePeer.natboot(lab, "lan", all(TCP_ONLY, new String[] { "--map", "--" + role }));
				IcePeer libnice = IcePeer.libnice(lab, "lan2", theirRole, "--stun", Lab.STUN, "3478", "--tcp-only")) {
			String natbootDescription = natboot.description(TIMEOUT);
			String libniceDescription = libnice.description(TIMEOUT);
			assertThat(libniceDescription).contains(" TCP ").contains("tcptype active");
			natboot.type(libniceDescription);
			libnice.type(natbootDescription);
			Matcher ours = natboot.await(NATBOOT_CONNECTED, TIMEOUT);
			Matcher theirs = libnice.await(FOREIGN_CONNECTED, TIMEOUT);
			matrix.put("libnice, natboot " + role, ours.group(2) + " " + ours.group(3).replaceAll("[0-9.]+:\\d+", "")
					+ " <-> " + ours.group(4) + " " + ours.group(5).replaceAll("[0-9.]+:\\d+", "") + " in " + ours.group(1)
					+ " ms (libnice " + theirs.group(1) + " ms)");
			assertThat(ours.group(3)).endsWith("/tcp-passive");
			natboot.await(Pattern.compile("^< hello from libnice$"), TIMEOUT);
			natboot.type("hello from natboot\n");
			libnice.await(Pattern.compile("^< hello from natboot$"), TIMEOUT);
			natboot.await(Pattern.compile("^< echo:hello from natboot$"), TIMEOUT);
		}
	}

}
