package dev.natboot.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native IPv6 beside IPv4 ({@code natlab up --ipv6}): the LAN host has a stable address (2001:db8:1::10), a
 * temporary one the kernel prefers for outgoing traffic and a deprecated one; the router forwards IPv6 without
 * translation and its forward policy drops every connection from outside but those a pinhole lets in. The sample
 * app with its defaults maps its port on IPv4 and opens a PCP pinhole on IPv6, and the internet host connects over
 * both.
 */
class Ipv6LabTests {

	static final String STABLE = "2001:db8:1::10";

	static final String STABLE_URL_HOST = "[" + STABLE + "]";

	/** The dual-stack startup line. */
	static final Pattern DUAL_STACK = Pattern.compile("Web server port 8080/TCP is reachable at 11\\.22\\.33\\.1:8080 "
			+ "and \\[2001:db8:1::10\\]:8080 \\(PCP via gateway 192\\.0\\.2\\.1, lease \\d+ s, confirmed in ([\\d.]+) ms; "
			+ "IPv6 PCP pinhole via gateway fe80::1%\\S+, lease \\d+ s, confirmed in ([\\d.]+) ms\\)");

	private static final Pattern CONFIRMED = Pattern.compile("\"(server(?:-ipv6)?)\":\\{[^{}]*?\"confirmedAt\":\"([^\"]+)\"");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void defaultsMapIpv4AndOpenAnIpv6PinholeForTheStableAddress() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6")) {
			// Nothing gets in over IPv6 before the app asks: the router's forward policy drops it.
			assertThat(lab.exec("lan", "ip", "-6", "addr", "show", "temporary").output()).contains("2001:db8:1:");
			try (SampleApp app = SampleApp.start(lab)) {
				Matcher line = app.awaitLog(DUAL_STACK, Duration.ofSeconds(60));
				System.out.printf("dual stack: IPv4 confirmed in %s ms, IPv6 pinhole in %s ms%n", line.group(1),
						line.group(2));
				lab.awaitFromInternet(STABLE_URL_HOST, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
				lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
				// The pinhole is for the stable address, never for the temporary one the kernel prefers.
				String pinholes = lab.exec("router", "nft", "list", "chain", "inet", "filter", "miniupnpd").output();
				assertThat(pinholes).contains("0x20010db8000100000000000000000010").doesNotContain("dead");
				// The management shield covers IPv6 clients from the internet too.
				assertThat(lab.exec("inet", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
						"http://" + STABLE_URL_HOST + ":8080/actuator/nat").output()).isEqualTo("404");
				String nat = lab.getFromApp("/actuator/nat").output();
				assertThat(nat).contains("\"family\":\"IPv6\"", "\"externalAddress\":\"" + STABLE + "\"",
						"\"family\":\"IPv4\"");
				String health = lab.getFromApp("/actuator/health/nat").output();
				assertThat(health).contains("\"status\":\"UP\"", "\"server-ipv6\":{\"state\":\"ACTIVE\"");
				Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
				assertThat(metrics.value("nat_mapping_external_port", "mapping", "server-ipv6")).hasValue(8080);
				assertThat(metrics.value("nat_mappings", "state", "active")).hasValue(2);
				System.out.printf("dual stack: IPv6 reachable %d ms after IPv4 (confirmations, endpoint)%n",
						ipv6AfterIpv4Millis(nat));
				app.stop(Duration.ofSeconds(10));
			}
			// Released: the pinhole is gone and IPv6 is closed again.
			assertThat(lab.exec("router", "nft", "list", "chain", "inet", "filter", "miniupnpd").output())
				.doesNotContain("0x20010db8000100000000000000000010");
			assertThat(lab.httpFromInternet(STABLE_URL_HOST, 8080).ok()).isFalse();
		}
	}

	/**
	 * With a TURN server (coturn, relaying on IPv4 and IPv6) both ways in are checked from outside: the IPv4
	 * mapping from an IPv4 relay, the pinhole from an IPv6 relay, each with an HTTP request. STUN is asked in each
	 * family: the IPv4 check at the first server's IPv4 address, the IPv6 one skips the IPv4-only first server
	 * and sees the pinhole's own address from the second.
	 */
	@Test
	void withATurnServerBothFamiliesAreVerifiedFromOutside() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6", "--stun");
				SampleApp app = SampleApp.start(lab, "--nat.turn.servers=turn:11.22.33.2", "--nat.turn.username=natlab",
						"--nat.turn.password=natlab", "--nat.stun.servers=11.22.33.2,[2001:db8:2::2]")) {
			app.awaitLog(Pattern.compile("Web server port 8080/TCP is mapped on the router at 11\\.22\\.33\\.1:8080 and "
					+ "\\[2001:db8:1::10\\]:8080 .*; checking both from outside"), Duration.ofSeconds(60));
			Matcher v6 = app.awaitLog(Pattern.compile("Web server port 8080/TCP is verified reachable from outside at "
					+ "\\[2001:db8:1::10\\]:8080 \\(through turn:11\\.22\\.33\\.2:3478\\?transport=tcp, checked in (\\d+) ms\\)"),
					Duration.ofSeconds(30));
			app.awaitLog(Pattern.compile("verified reachable from outside at 11\\.22\\.33\\.1:8080"), Duration.ofSeconds(30));
			System.out.printf("IPv6 pinhole verified from outside in %s ms%n", v6.group(1));
			app.awaitLog(Pattern.compile("STUN server \\[2001:db8:2::2\\]:3478 sees this host at 2001:db8:1::10 over IPv6"),
					Duration.ofSeconds(30));
			lab.awaitFromApp("/actuator/nat", "\"stunIpv6\":{", Duration.ofSeconds(10));
			// The IPv4 check discovers the NAT's behaviour too (RFC 5780): it ends a little later.
			String nat = lab.awaitFromApp("/actuator/nat", "\"publicAddress\":\"11.22.33.1\"", Duration.ofSeconds(10));
			assertThat(nat).contains("\"publicAddress\":\"2001:db8:1::10\",\"publicPort\"");
			assertThat(nat.substring(nat.indexOf("\"stunIpv6\""))).contains("\"matchesRouter\":true");
			String health = lab.awaitFromApp("/actuator/health/nat", "\"server-ipv6\":{\"state\":\"ACTIVE\"",
					Duration.ofSeconds(10));
			assertThat(health).contains("\"status\":\"UP\"");
			assertThat(Pattern.compile("\"reachability\":\\{\"status\":\"REACHABLE\"").matcher(health).results().count())
				.isEqualTo(2);
			Prometheus metrics = Prometheus.parse(lab.getFromApp("/actuator/prometheus").output());
			assertThat(metrics.value("nat_mapping_reachable", "mapping", "server-ipv6")).hasValue(1);
			assertThat(metrics.value("nat_mapping_reachable", "mapping", "server")).hasValue(1);
			// The IPv4 STUN check sees the router's address: no IPv6 answer mistaken for another NAT.
			assertThat(metrics.value("nat_stun_address_mismatch")).hasValue(0);
		}
	}

	/**
	 * A router that grants the pinhole and forwards nothing (a firewall in front, here an nftables rule ahead of
	 * miniupnpd's): the IPv6 check finds it unreachable and says why, the IPv4 mapping stays reachable and health
	 * stays UP, since the pinhole only adds a way in.
	 */
	@Test
	void aPinholeThatLetsNothingInIsFoundUnreachable() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6", "--stun")) {
			assertThat(lab.exec("router", "nft", "add table inet upstream; add chain inet upstream block { type filter "
					+ "hook forward priority -10; }; add rule inet upstream block ip6 daddr 2001:db8:1::10 tcp dport 8080 drop")
				.ok()).isTrue();
			try (SampleApp app = SampleApp.start(lab, "--nat.turn.servers=turn:11.22.33.2", "--nat.turn.username=natlab",
					"--nat.turn.password=natlab")) {
				Matcher unreachable = app.awaitLog(Pattern.compile("Web server port 8080/TCP has an IPv6 pinhole at "
						+ "\\[2001:db8:1::10\\]:8080, but not reachable from outside: (.*)"), Duration.ofSeconds(90));
				assertThat(unreachable.group(1)).contains("the router accepted the pinhole but nothing came through");
				app.awaitLog(Pattern.compile("verified reachable from outside at 11\\.22\\.33\\.1:8080"), Duration.ofSeconds(30));
				String health = lab.getFromApp("/actuator/health/nat").output();
				assertThat(health).contains("\"status\":\"UP\"", "\"status\":\"UNREACHABLE\"");
			}
		}
	}

	/**
	 * A router that translates IPv6 too (NAT66, as some do, here a masquerade on its WAN side): the IPv6 STUN check
	 * sees the router's address, not the one the pinhole is for, and says so; the endpoint shows it.
	 */
	@Test
	void aTranslatingRouterInFrontOfThePinholeIsToldByIpv6Stun() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6", "--stun")) {
			assertThat(lab.exec("router", "nft", "add rule inet filter postrouting meta nfproto ipv6 oifname "
					+ lab.routerWanInterface() + " masquerade").ok()).isTrue();
			try (SampleApp app = SampleApp.start(lab, "--nat.stun.servers=[2001:db8:2::2]")) {
				app.awaitLog(Pattern.compile("STUN server \\[2001:db8:2::2\\]:3478 sees this host's IPv6 traffic from "
						+ "2001:db8:2::1, not from 2001:db8:1::10, the address the pinholes are for: a prefix translation "
						+ "\\(NPTv6\\) or NAT66"), Duration.ofSeconds(60));
				String nat = lab.awaitFromApp("/actuator/nat", "\"stunIpv6\":{", Duration.ofSeconds(10));
				assertThat(nat.substring(nat.indexOf("\"stunIpv6\""))).contains("\"publicAddress\":\"2001:db8:2::1\"",
						"\"matchesRouter\":false");
			}
		}
	}

	/** A router without PCP: the pinhole comes from UPnP IGD v2's WANIPv6FirewallControl, asked over IPv6. */
	@Test
	void aRouterWithoutPcpOpensAUpnpPinhole() throws Exception {
		try (Lab lab = Lab.up("upnp-only", "--ipv6")) {
			try (SampleApp app = SampleApp.start(lab)) {
				app.awaitLog(Pattern.compile("Web server port 8080/TCP is reachable at 11\\.22\\.33\\.1:8080 and "
						+ "\\[2001:db8:1::10\\]:8080 \\(UPnP via gateway 192\\.0\\.2\\.1, lease \\d+ s, confirmed in [\\d.]+ ms; "
						+ "IPv6 UPnP pinhole via gateway 2001:db8:1::1, lease \\d+ s, confirmed in ([\\d.]+) ms\\)"),
						Duration.ofSeconds(60));
				lab.awaitFromInternet(STABLE_URL_HOST, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
				assertThat(lab.exec("router", "nft", "list", "chain", "inet", "filter", "miniupnpd").output())
					.contains("0x20010db8000100000000000000000010");
				app.stop(Duration.ofSeconds(10));
			}
			// DeletePinhole at the stop.
			assertThat(lab.exec("router", "nft", "list", "chain", "inet", "filter", "miniupnpd").output())
				.doesNotContain("0x20010db8000100000000000000000010");
			assertThat(lab.httpFromInternet(STABLE_URL_HOST, 8080).ok()).isFalse();
		}
	}

	@Test
	void behindCarrierGradeNatTheAppIsReachableOverIpv6Only() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6", "--wan", "cgnat");
				SampleApp app = SampleApp.start(lab, "--nat.health.unreachable-status=OUT_OF_SERVICE")) {
			app.awaitLog(Pattern.compile("Web server port 8080/TCP is reachable over IPv6 only, at "
					+ "\\[2001:db8:1::10\\]:8080 \\(PCP pinhole via gateway fe80::1%\\S+, lease \\d+ s, confirmed in "
					+ "[\\d.]+ ms\\); over IPv4 it is not mapped: PCP MAP refused"), Duration.ofSeconds(60));
			lab.awaitFromInternet(STABLE_URL_HOST, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
			String health = lab.awaitFromApp("/actuator/health/nat", "over IPv6 only", Duration.ofSeconds(10));
			assertThat(health).contains("\"status\":\"UP\"", "\"behindAnotherNat\":true");
		}
	}

	/**
	 * The common IPv6 router: its firewall drops what comes in and it opens nothing on request (its PCP and SSDP
	 * over IPv6 silent). The app is then reached over IPv4 as without IPv6, said once, warned about never.
	 */
	@Test
	void aRouterThatOpensNoPinholesLeavesIpv4AsItIs() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6")) {
			Lab.Result silent = lab.exec("router", "nft", "insert", "rule", "inet", "filter", "input", "meta", "nfproto",
					"ipv6", "udp", "dport", "{ 1900, 5351 }", "drop");
			assertThat(silent.ok()).as(silent.output()).isTrue();
			try (SampleApp app = SampleApp.start(lab)) {
				app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
				app.awaitLog(Pattern.compile("No IPv6 pinhole for this host: .*; the web server is reachable over IPv4 only"),
						Duration.ofSeconds(20));
				lab.awaitFromInternet(Lab.ROUTER_WAN, 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
				assertThat(lab.getFromApp("/actuator/health/nat").output()).contains("\"status\":\"UP\"");
				assertThat(app.log()).doesNotContain("WARN").doesNotContain("and [2001:db8:1::10]:8080");
			}
		}
	}

	@Test
	void noPinholeWhenTurnedOff() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6"); SampleApp app = SampleApp.start(lab, "--nat.server.ipv6=false")) {
			app.awaitLog(SampleApp.REACHABLE, Duration.ofSeconds(60));
			Thread.sleep(500);
			assertThat(lab.exec("router", "nft", "list", "chain", "inet", "filter", "miniupnpd").output())
				.doesNotContain("0x20010db8");
			assertThat(app.log()).doesNotContain("server-ipv6", "2001:db8:1::10");
			assertThat(lab.httpFromInternet(STABLE_URL_HOST, 8080).ok()).isFalse();
		}
	}

	@Test
	void thePinholeFollowsANewStableAddress() throws Exception {
		try (Lab lab = Lab.up("all", "--ipv6"); SampleApp app = SampleApp.start(lab)) {
			app.awaitLog(DUAL_STACK, Duration.ofSeconds(60));
			// Renumbering: the old address goes, a new one comes.
			assertThat(lab.exec("lan", "ip", "-6", "addr", "add", "2001:db8:1::20/64", "dev", lab.lanInterface(), "nodad")
				.ok()).isTrue();
			assertThat(lab.exec("lan", "ip", "-6", "addr", "del", STABLE + "/64", "dev", lab.lanInterface()).ok()).isTrue();
			long changed = System.nanoTime();
			app.awaitLog(Pattern.compile("stable IPv6 address changed from 2001:db8:1::10 to 2001:db8:1::20"),
					Duration.ofSeconds(20));
			lab.awaitFromInternet("[2001:db8:1::20]", 8080, "Hello from the natboot sample app", Duration.ofSeconds(20));
			System.out.printf("new stable address reachable %d ms after the change%n",
					(System.nanoTime() - changed) / 1_000_000);
			assertThat(lab.getFromApp("/actuator/nat").output()).contains("\"externalAddress\":\"2001:db8:1::20\"");
		}
	}

	private static long ipv6AfterIpv4Millis(String nat) {
		Instant v4 = null;
		Instant v6 = null;
		Matcher matcher = CONFIRMED.matcher(nat);
		while (matcher.find()) {
			Instant at = Instant.parse(matcher.group(2));
			if (matcher.group(1).equals("server")) {
				v4 = at;
			}
			else {
				v6 = at;
			}
		}
		assertThat(v4).as(nat).isNotNull();
		assertThat(v6).as(nat).isNotNull();
		return Duration.between(v4, v6).toMillis();
	}

}
