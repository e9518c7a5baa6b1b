package dev.natboot.core.reachability;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.turn.FakeTurnServer;
import dev.natboot.core.turn.TurnCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor with an engine that maps by hand ({@code extip:}, no router) and a fake TURN server on loopback;
 * the real checks through coturn are the lab's ReachabilityLabTests.
 */
class ReachabilityMonitorTests {

	private FakeTurnServer turn;

	private MappingEngine engine;

	private ReachabilityMonitor monitor;

	private final List<Reachability> changes = new CopyOnWriteArrayList<>();

	private final List<Reachability> checks = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.turn = new FakeTurnServer();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.monitor != null) {
			this.monitor.close();
		}
		if (this.engine != null) {
			this.engine.close();
		}
		this.turn.close();
	}

	private void monitor(String mode, String password) {
		monitor(mode, password, Duration.ofMinutes(10));
	}

	private void monitor(String mode, String password, Duration interval) {
		this.engine = MappingEngine.builder().mode(NatMode.of(mode)).permanentMappingJournal(null).build();
		TurnReachabilityProbe probe = new TurnReachabilityProbe(List.of(this.turn.tcpServer(), this.turn.udpServer()),
				TurnCredentials.of(FakeTurnServer.USER, password), Duration.ofSeconds(2));
		this.monitor = new ReachabilityMonitor(this.engine, probe, interval, (mapping) -> false,
				(mapping) -> mapping.name().equals("answering"), Clock.systemUTC());
		this.monitor.addListener(new ReachabilityListener() {

			@Override
			public void reachabilityChanged(dev.natboot.core.mapping.Mapping mapping, Reachability previous,
					Reachability current) {
				ReachabilityMonitorTests.this.changes.add(current);
			}

			@Override
			public void checked(dev.natboot.core.mapping.Mapping mapping, Reachability result) {
				ReachabilityMonitorTests.this.checks.add(result);
			}

		});
		this.monitor.start();
	}

	private void mapTcp() {
		this.engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "web"));
	}

	@Test
	void aMappingTheServerConnectsToIsReachable() {
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD);
		mapTcp();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.changes.isEmpty());
		Reachability result = this.changes.get(0);
		assertThat(result.status()).isEqualTo(ReachabilityStatus.REACHABLE);
		assertThat(result.via()).isEqualTo(this.turn.tcpServer().uri());
		assertThat(result.endpoint()).isEqualTo("198.51.100.9:8080");
		assertThat(result.checkedAt()).isNotNull();
		assertThat(this.monitor.reachability(this.engine.mapping("server").orElseThrow())).isEqualTo(result);
	}

	@Test
	void aConnectionTheServerCannotMakeIsUnreachableWithTheLikelyReason() {
		this.turn.connectError = 447;
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD);
		mapTcp();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.changes.isEmpty());
		Reachability result = this.changes.get(0);
		assertThat(result.status()).isEqualTo(ReachabilityStatus.UNREACHABLE);
		// The fake sees this host on 127.0.0.1, the router (extip) says 198.51.100.9: another NAT.
		assertThat(result.reason()).contains("another NAT sits in front of the router: the internet sees this host at "
				+ "127.0.0.1, the router says 198.51.100.9", "failed or timed out");
	}

	@Test
	void anIpv6EndpointIsCheckedFromAnIpv6Relay() {
		TurnReachabilityProbe probe = new TurnReachabilityProbe(List.of(this.turn.tcpServer()),
				TurnCredentials.of(FakeTurnServer.USER, FakeTurnServer.PASSWORD), Duration.ofSeconds(2));
		TurnReachabilityProbe.Outcome outcome = probe.check(new java.net.InetSocketAddress("2001:db8:1::10", 8080), false);
		assertThat(outcome.status()).isEqualTo(ReachabilityStatus.REACHABLE);
		// The server saw this host over IPv4 (127.0.0.1): nothing it says of an IPv6 pinhole's address.
		assertThat(outcome.seenAs()).isNull();
	}

	@Test
	void aServerWithoutIpv6RelaysCannotCheckAnIpv6Endpoint() {
		this.turn.refusesIpv6 = true;
		TurnReachabilityProbe probe = new TurnReachabilityProbe(List.of(this.turn.tcpServer()),
				TurnCredentials.of(FakeTurnServer.USER, FakeTurnServer.PASSWORD), Duration.ofSeconds(2));
		TurnReachabilityProbe.Outcome outcome = probe.check(new java.net.InetSocketAddress("2001:db8:1::10", 8080), true);
		assertThat(outcome.status()).isEqualTo(ReachabilityStatus.FAILING);
		assertThat(outcome.detail()).isEqualTo("the TURN server relays no IPv6 (440), so it cannot check "
				+ "[2001:db8:1::10]:8080");
		assertThat(probe.check(new java.net.InetSocketAddress("198.51.100.9", 8080), false).status())
			.isEqualTo(ReachabilityStatus.REACHABLE);
	}

	@Test
	void refusedCredentialsMakeTheCheckFailingAndNeverShowThePassword() {
		monitor("extip:198.51.100.9", "wrong-password");
		mapTcp();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.changes.isEmpty());
		Reachability result = this.changes.get(0);
		assertThat(result.status()).isEqualTo(ReachabilityStatus.FAILING);
		assertThat(result.reason()).contains("refused the credentials (401)").doesNotContain("wrong-password");
	}

	@Test
	void aMappingOnAPrivateAddressIsUnreachableWithoutAskingTheServer() {
		monitor("extip:192.168.7.1", FakeTurnServer.PASSWORD);
		mapTcp();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.changes.isEmpty());
		assertThat(this.changes.get(0).status()).isEqualTo(ReachabilityStatus.UNREACHABLE);
		assertThat(this.changes.get(0).reason()).contains("192.168.7.1 is private");
		assertThat(this.turn.received).hasValue(0);
	}

	@Test
	void udpMappingsStayUnverifiedAndNothingRunsForThem() {
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD);
		this.engine.add(new MappingSpec("game", Transport.UDP, 27015, 0, Duration.ofMinutes(3), "game"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.engine.mapping("game").orElseThrow().isActive());
		assertThat(this.monitor.reachability(this.engine.mapping("game").orElseThrow()).status())
			.isEqualTo(ReachabilityStatus.UNVERIFIED);
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().equals("nat-reachability"));
		assertThat(this.turn.received).hasValue(0);
	}

	@Test
	void aUdpMappingWhoseApplicationAnswersProbesIsReachableWhenItsAnswerComesBack() {
		this.turn.peerAnswersProbes = true;
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD);
		this.engine.add(new MappingSpec("answering", Transport.UDP, 27015, 0, Duration.ofMinutes(3), "game"));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.changes.isEmpty());
		assertThat(this.changes.get(0).status()).isEqualTo(ReachabilityStatus.REACHABLE);
		assertThat(this.changes.get(0).endpoint()).isEqualTo("198.51.100.9:27015");
	}

	@Test
	void aUdpMappingWhoseProbesGoUnansweredIsUnreachable() {
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD);
		this.engine.add(new MappingSpec("answering", Transport.UDP, 27015, 0, Duration.ofMinutes(3), "game"));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.changes.isEmpty());
		assertThat(this.changes.get(0).status()).isEqualTo(ReachabilityStatus.UNREACHABLE);
		assertThat(this.changes.get(0).reason()).contains("no answer from 198.51.100.9:27015 to the probes");
	}

	@Test
	void stoppedItChecksNothingAndStartedAgainItChecksWhatIsMapped() throws Exception {
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD);
		mapTcp();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.checks.size() == 1);
		this.monitor.stop();
		this.engine.remove("server").orElseThrow().get(5, java.util.concurrent.TimeUnit.SECONDS);
		mapTcp();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.engine.mapping("server").orElseThrow().isActive());
		Thread.sleep(500);
		assertThat(this.checks).hasSize(1);
		this.monitor.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.checks.size() == 2);
	}

	@Test
	void everyIntervalTheMappingIsCheckedAgainAndTheSameFindingIsNoChange() {
		monitor("extip:198.51.100.9", FakeTurnServer.PASSWORD, Duration.ofSeconds(1));
		mapTcp();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.checks.size() >= 3);
		assertThat(this.checks).allSatisfy((check) -> assertThat(check.status()).isEqualTo(ReachabilityStatus.REACHABLE));
		assertThat(this.changes).hasSize(1);
	}

}
