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
 * natboot's ICE agent between two sites, each a LAN host behind its own router and NAT, with coturn (STUN and
 * TURN) on the internet host: {@code natboot-cli ice} on both sides, or against aioice. The descriptions are
 * passed between the processes as a person would paste them. Each run connects, then a line crosses each way.
 */
class IceAgentLabTests {

	private static final Duration TIMEOUT = IceSites.TIMEOUT;

	private static final Pattern NATBOOT_CONNECTED = IceSites.NATBOOT_CONNECTED;

	/** What aioice-peer.py and nice-peer print. */
	private static final Pattern FOREIGN_CONNECTED = Pattern.compile("connected in (\\d+) ms local=(\\w+) remote=(\\w+)");

	private static final String[] STUN = { "--stun", Lab.STUN };

	private static final String[] TURN = { "--turn", "turn:" + Lab.STUN, "--turn-user", "natlab", "--turn-password",
			"natlab" };

	/** The matrix's outcomes, printed at the end for the issue's note. */
	private static final Map<String, String> matrix = new ConcurrentHashMap<>();

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
		IcePeer.buildLibnicePeer();
	}

	@AfterAll
	static void printMatrix() {
		matrix.entrySet().stream().sorted(Map.Entry.comparingByKey())
			.forEach((row) -> System.out.println("ICE matrix: " + row.getKey() + " -> " + row.getValue()));
	}

	@Test
	void twoAppsBehindPlainHomeNatsConnectDirectlyWithTheDefaults() throws Exception {
		// Both sides as a user starts them: the default role (controlling, so a role conflict), a STUN server.
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none");
				IcePeer one = IcePeer.natboot(lab, "lan", STUN);
				IcePeer two = IcePeer.natboot(lab, "lan2", STUN)) {
			Matcher[] connected = connectNatboots(one, two);
			for (Matcher line : connected) {
				assertThat(line.group(2)).as("local candidate type").isIn("srflx", "prflx");
				assertThat(line.group(4)).as("remote candidate type").isIn("srflx", "prflx");
			}
			assertThat(List.of(connected[0].group(7), connected[1].group(7))).as("the role conflict was settled")
				.containsExactlyInAnyOrder("controlling", "controlled");
			exchangeLines(one, two);
		}
	}

	/**
	 * The sample app's peer-to-peer demo: two apps, each behind its own NAT, their descriptions carried over their
	 * own HTTP APIs (the way an application uses its own signalling), connect through the agents Spring gives them
	 * and exchange messages; their endpoints show the connection.
	 */
	@Test
	void twoSampleAppsBehindTheirOwnNatsConnectOverTheirHttpApisAndExchangeMessages() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none");
				SampleApp one = SampleApp.startOn(lab, "lan", "--sample.p2p.enabled=true",
						"--nat.stun.servers=" + Lab.STUN + ":3478");
				SampleApp two = SampleApp.startOn(lab, "lan2", "--sample.p2p.enabled=true",
						"--nat.stun.servers=" + Lab.STUN + ":3478")) {
			one.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			two.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			String offer = post(lab, "lan", "/p2p/demo/offer", "");
			assertThat(offer).contains("a=ice-ufrag:", "typ srflx");
			String answer = post(lab, "lan2", "/p2p/demo/answer", offer);
			assertThat(answer).contains("a=ice-pwd:", "typ srflx");
			assertThat(post(lab, "lan", "/p2p/demo/accept", answer)).contains("checking");
			String state = lab.awaitFromAppOn("lan", "/p2p/demo", "connected", TIMEOUT);
			assertThat(state).containsPattern("connected (srflx|prflx) ");
			lab.awaitFromAppOn("lan2", "/p2p/demo", "connected", TIMEOUT);
			assertThat(post(lab, "lan", "/p2p/demo/send", "hello from app 1")).contains("sent");
			assertThat(post(lab, "lan2", "/p2p/demo/send", "hello from app 2")).contains("sent");
			lab.awaitFromAppOn("lan2", "/p2p/demo/messages", "hello from app 1", TIMEOUT);
			lab.awaitFromAppOn("lan", "/p2p/demo/messages", "hello from app 2", TIMEOUT);
			assertThat(lab.getFromAppOn("lan", "/actuator/nat").output()).contains("\"ice\":{\"open\":1,\"connected\":1");
			assertThat(lab.getFromAppOn("lan", "/actuator/prometheus").output())
				.containsPattern("nat_ice_connect_seconds_count\\{.*local_type=\"(srflx|prflx)\".*\\} 1");
		}
	}

	/**
	 * An ICE restart across two NATs, then consent: the two sample apps restart (new credentials, new checks, the
	 * same connection), keep exchanging messages, keep consent with the new credentials (the old ones are refused
	 * by then) for longer than the consent timeout, and when app 2 stops, app 1's connection loses consent.
	 */
	@Test
	void anIceRestartAcrossTwoNatsKeepsTheConnectionAndConsentIsLostWhenThePeerStops() throws Exception {
		String[] consent = { "--nat.ice.consent-interval=300ms", "--nat.ice.consent-timeout=2s" };
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none");
				SampleApp one = SampleApp.startOn(lab, "lan", all(new String[] { "--sample.p2p.enabled=true",
						"--nat.stun.servers=" + Lab.STUN + ":3478" }, consent));
				SampleApp two = SampleApp.startOn(lab, "lan2", all(new String[] { "--sample.p2p.enabled=true",
						"--nat.stun.servers=" + Lab.STUN + ":3478" }, consent))) {
			one.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			two.awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
			String offer = post(lab, "lan", "/p2p/demo/offer", "");
			post(lab, "lan", "/p2p/demo/accept", post(lab, "lan2", "/p2p/demo/answer", offer));
			lab.awaitFromAppOn("lan", "/p2p/demo", "connected", TIMEOUT);
			lab.awaitFromAppOn("lan2", "/p2p/demo", "connected", TIMEOUT);
			String restartOffer = post(lab, "lan", "/p2p/demo/restart", "");
			assertThat(ufrag(restartOffer)).isNotEqualTo(ufrag(offer));
			String restartAnswer = post(lab, "lan2", "/p2p/demo/restart-answer", restartOffer);
			post(lab, "lan", "/p2p/demo/accept", restartAnswer);
			Thread.sleep(3000); // longer than the consent timeout: consent holds with the new credentials
			assertThat(lab.getFromAppOn("lan", "/p2p/demo").output()).startsWith("connected");
			assertThat(post(lab, "lan", "/p2p/demo/send", "after the restart")).contains("sent");
			lab.awaitFromAppOn("lan2", "/p2p/demo/messages", "after the restart", TIMEOUT);
			two.kill();
			lab.awaitFromAppOn("lan", "/p2p/demo", "closed", Duration.ofSeconds(10));
			assertThat(lab.getFromAppOn("lan", "/actuator/prometheus").output())
				.containsPattern("nat_ice_failures_total\\{.*reason=\"consent_lost\".*\\} 1");
		}
	}

	private static String ufrag(String description) {
		Matcher matcher = Pattern.compile("a=ice-ufrag:(\\S+)").matcher(description);
		assertThat(matcher.find()).as(description).isTrue();
		return matcher.group(1);
	}

	/**
	 * IPv6: the LAN host behind a router whose firewall lets in only what answers the LAN's own traffic (natlab
	 * --ipv6: not translated, inbound dropped), and a host on the internet; both with the defaults, so host
	 * candidates on every usable address of both families. The IPv6 host pair is the best and connects: the
	 * LAN side's check opens the router's firewall for the answer and the peer's checks.
	 */
	@Test
	void overIpv6TwoHostsConnectHostToHostThroughTheRoutersFirewall() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6");
				IcePeer inside = IcePeer.natboot(lab, "lan");
				IcePeer outside = IcePeer.natboot(lab, "inet", "--controlled")) {
			Matcher[] connected = connectNatboots(inside, outside);
			matrix.put("IPv6, LAN host / internet host", connected[0].group(2) + " " + connected[0].group(3) + " <-> "
					+ connected[0].group(4) + " " + connected[0].group(5) + " in " + connected[0].group(1) + " ms");
			assertThat(connected[0].group(3)).as("the LAN host's IPv6 address").startsWith("2001:db8:1:")
				.as("never its deprecated one").doesNotStartWith("2001:db8:1::dead:");
			assertThat(connected[0].group(5)).as("the internet host's").startsWith("2001:db8:2::2:");
			exchangeLines(inside, outside);
		}
	}

	/** Two peers that know each other's public endpoint (from STUN) punch through two plain NATs. */
	@Test
	void twoPeersThatKnowEachOthersEndpointPunchThroughTwoPlainNats() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none");
				IcePeer one = punchDriver(lab, "lan", "one");
				IcePeer two = punchDriver(lab, "lan2", "two")) {
			Pattern endpoint = Pattern.compile("^endpoint=\\S+ local=\\d+$");
			String first = one.await(endpoint, TIMEOUT).group();
			String second = two.await(endpoint, TIMEOUT).group();
			assertThat(first).startsWith("endpoint=" + Lab.ROUTER_WAN + ":");
			one.type(second + "\n");
			two.type(first + "\n");
			Matcher punched = one.await(Pattern.compile("punched in (\\d+) ms"), TIMEOUT);
			two.await(Pattern.compile("punched in (\\d+) ms"), TIMEOUT);
			matrix.put("hole punch, plain / plain", "punched in " + punched.group(1) + " ms");
			one.await(Pattern.compile("^< hello from two$"), TIMEOUT);
			two.await(Pattern.compile("^< hello from one$"), TIMEOUT);
		}
	}

	private static IcePeer punchDriver(Lab lab, String host, String name) throws Exception {
		return IcePeer.start("punch@" + host, lab.namespace(host), List.of(
				java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				Lab.testClasspath(), "dev.natboot.lab.driver.HolePunchDriver", Lab.STUN, name));
	}

	private static String post(Lab lab, String host, String path, String body) {
		Lab.Result result = lab.exec(host, "curl", "-sS", "--max-time", "15", "-X", "POST", "-H",
				"Content-Type: text/plain", "--data-binary", body, "http://127.0.0.1:8080" + path);
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result.output();
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
	 * Every pair of sites connects: directly when a direct path can exist (both NATs endpoint-independent, or a
	 * router that maps the agent's socket), through the TURN relay otherwise.
	 */
	@ParameterizedTest(name = "{0} / {1}")
	@MethodSource("sites")
	void everyPairOfSitesConnectsDirectlyWhenItCanAndRelayedOtherwise(String site1, String site2) throws Exception {
		List<String> options = new ArrayList<>(List.of("--stun", "--router", router(site1), "--nat", nat(site1),
				"--site2", router(site2), "--nat2", nat(site2)));
		try (Lab lab = Lab.upWith(options);
				IcePeer one = IcePeer.natboot(lab, "lan", all(STUN, TURN, new String[] { "--map" }));
				IcePeer two = IcePeer.natboot(lab, "lan2", all(STUN, TURN, new String[] { "--map", "--controlled" }))) {
			Matcher[] connected = connectNatboots(one, two);
			boolean directPossible = (nat(site1).equals("masquerade") && nat(site2).equals("masquerade"))
					|| site1.endsWith("router") || site2.endsWith("router");
			String path = connected[0].group(2) + "<->" + connected[0].group(4);
			matrix.put(site1 + " / " + site2, path + " in " + connected[0].group(1) + "/" + connected[1].group(1) + " ms");
			boolean relayed = path.contains("relay");
			assertThat(relayed).as("relayed (" + path + ") though a direct path can exist: " + directPossible)
				.isEqualTo(!directPossible);
			exchangeLines(one, two);
		}
	}

	static Stream<Arguments> foreignAgents() {
		return Stream.of(Arguments.of("aioice", "controlling"), Arguments.of("aioice", "controlled"),
				Arguments.of("libnice", "controlling"), Arguments.of("libnice", "controlled"));
	}

	@ParameterizedTest(name = "{0}, natboot {1}")
	@MethodSource("foreignAgents")
	void natbootAndAForeignAgentConnectAcrossTwoNats(String agent, String role) throws Exception {
		String theirRole = role.equals("controlling") ? "controlled" : "controlling";
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none");
				IcePeer natboot = IcePeer.natboot(lab, "lan", all(STUN, new String[] { "--" + role }));
				IcePeer foreign = foreign(agent, lab, theirRole, false)) {
			Matcher[] connected = connectWithForeign(natboot, foreign);
			matrix.put(agent + ", natboot " + role, connected[0].group(2) + "<->" + connected[0].group(4) + " in "
					+ connected[0].group(1) + " ms (" + agent + " " + connected[1].group(1) + " ms)");
			// direct: aioice names its own side by the base (host), natboot by what the peer saw
			assertThat(connected[0].group(2)).isIn("srflx", "prflx");
			assertThat(connected[0].group(4)).isIn("srflx", "prflx");
			assertThat(connected[1].group(3)).isNotEqualTo("relay");
			exchangeWithForeign(natboot, foreign, agent);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "aioice", "libnice" })
	void natbootAndAForeignAgentConnectThroughTheRelayWhenNoDirectPathCanExist(String agent) throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--nat", "random", "--site2", "none", "--nat2", "random");
				IcePeer natboot = IcePeer.natboot(lab, "lan", all(STUN, TURN));
				IcePeer foreign = foreign(agent, lab, "controlled", true)) {
			Matcher[] connected = connectWithForeign(natboot, foreign);
			String path = connected[0].group(2) + "<->" + connected[0].group(4);
			matrix.put(agent + ", random / random", path + " in " + connected[0].group(1) + " ms (" + agent + " "
					+ connected[1].group(1) + " ms)");
			assertThat(path).contains("relay");
			exchangeWithForeign(natboot, foreign, agent);
		}
	}

	private static IcePeer foreign(String agent, Lab lab, String role, boolean relay) throws Exception {
		List<String> arguments = new ArrayList<>(List.of(role));
		if (agent.equals("aioice")) {
			arguments.addAll(List.of("--stun", Lab.STUN + ":3478"));
			if (relay) {
				arguments.addAll(List.of("--turn", Lab.STUN + ":3478", "natlab", "natlab"));
			}
			return IcePeer.aioice(lab, "lan2", arguments.toArray(String[]::new));
		}
		arguments.addAll(List.of("--stun", Lab.STUN, "3478"));
		if (relay) {
			arguments.addAll(List.of("--turn", Lab.STUN, "3478", "natlab", "natlab"));
		}
		return IcePeer.libnice(lab, "lan2", arguments.toArray(String[]::new));
	}

	private static Matcher[] connectWithForeign(IcePeer natboot, IcePeer foreign) throws Exception {
		String natbootDescription = natboot.description(TIMEOUT);
		String foreignDescription = foreign.description(TIMEOUT);
		natboot.type(foreignDescription);
		foreign.type(natbootDescription);
		return new Matcher[] { natboot.await(NATBOOT_CONNECTED, TIMEOUT), foreign.await(FOREIGN_CONNECTED, TIMEOUT) };
	}

	private static void exchangeWithForeign(IcePeer natboot, IcePeer foreign, String agent) throws Exception {
		natboot.await(Pattern.compile("^< hello from " + agent + "$"), TIMEOUT);
		natboot.type("hello from natboot\n");
		foreign.await(Pattern.compile("^< hello from natboot$"), TIMEOUT);
		natboot.await(Pattern.compile("^< echo:hello from natboot$"), TIMEOUT);
	}

}
