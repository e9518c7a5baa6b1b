package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine with UPnP, against a fake IGD on loopback: the behaviours of router families the lab's
 * miniupnpd does not show.
 */
class UpnpMappingTests {

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final List<NatException> failures = new CopyOnWriteArrayList<>();

	private final List<Mapping> lost = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void mapsOnIgdV2AndDeletesAtClose() throws Exception {
		FakeIgd igd = igd(2);
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "web <app> & \"friends\""));
		Mapping mapping = awaitActive(engine);
		assertThat(mapping.protocol()).isEqualTo(NatProtocol.UPNP);
		assertThat(mapping.externalAddress()).isEqualTo(InetAddress.getByName(FakeIgd.EXTERNAL));
		assertThat(mapping.externalPort()).isEqualTo(8080);
		assertThat(mapping.lifetime()).isEqualTo(Duration.ofMinutes(5));
		FakeIgd.Entry entry = igd.mappings.get("TCP/8080");
		assertThat(entry.client()).isEqualTo("127.0.0.1");
		assertThat(entry.description()).isEqualTo("web <app> & \"friends\"");
		assertThat(entry.lease()).isEqualTo(300);
		assertThat(engine.close(Duration.ofSeconds(2))).isTrue();
		assertThat(igd.mappings).isEmpty();
	}

	/**
	 * Discovery read the external address a moment ago: the first mapping reports it without asking again, in
	 * two SOAP exchanges instead of three; a renewal asks again.
	 */
	@Test
	void theFirstMappingUsesTheAddressDiscoveryReadAndARenewalAsksAgain() throws Exception {
		FakeIgd igd = igd(2);
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofSeconds(1), "test"));
		Mapping mapping = awaitActive(engine);
		assertThat(mapping.externalAddress()).isEqualTo(InetAddress.getByName(FakeIgd.EXTERNAL));
		assertThat(igd.actions).containsExactly("GetExternalIPAddress", "GetSpecificPortMappingEntry", "AddPortMapping");
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().renewals() > 0);
		assertThat(igd.actions.subList(3, igd.actions.size())).containsSubsequence("AddPortMapping",
				"GetExternalIPAddress");
	}

	@Test
	void followsTheDescriptionOnlyToTheDeviceThatAnswered() throws Exception {
		FakeIgd igd = igd(1);
		igd.locationHost = "198.51.100.98"; // LOCATION and controlURL name other hosts
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).protocol()).isEqualTo(NatProtocol.UPNP);
	}

	@Test
	void usesAPermanentLeaseWhenTheRouterOnlyTakesThatAndStillDeletesIt() throws Exception {
		FakeIgd igd = igd(1);
		igd.permanentLeasesOnly = true;
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		Mapping mapping = awaitActive(engine);
		assertThat(mapping.lifetime()).isNull();
		assertThat(mapping.expiresAt()).isNull();
		assertThat(igd.mappings.get("TCP/8080").lease()).isZero();
		assertThat(igd.actions).containsSubsequence("AddPortMapping", "AddPortMapping");
		engine.close(Duration.ofSeconds(2));
		assertThat(igd.mappings).isEmpty();
	}

	@Test
	void movesToTheNextPortWhenAnotherHostHoldsItOnIgdV1() throws Exception {
		FakeIgd igd = igd(1);
		igd.mappings.put("TCP/8080", new FakeIgd.Entry("192.0.2.55", 80, "someone else", 0));
		igd.mappings.put("TCP/8081", new FakeIgd.Entry("192.0.2.56", 80, "someone else", 0));
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).externalPort()).isEqualTo(8082);
		assertThat(igd.mappings.get("TCP/8080").client()).isEqualTo("192.0.2.55");
	}

	@Test
	void neverTakesThePortOfAnotherAppOnTheSameHost() throws Exception {
		FakeIgd igd = igd(2);
		// Same host, other internal port: a router like miniupnpd would let AddPortMapping replace it.
		igd.mappings.put("TCP/8080", new FakeIgd.Entry("127.0.0.1", 9999, "other app", 300));
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).externalPort()).isEqualTo(8081);
		assertThat(igd.mappings.get("TCP/8080").internalPort()).isEqualTo(9999);
	}

	@Test
	void letsAnIgdV2RouterChooseAPortItsRulesAllow() throws Exception {
		FakeIgd igd = igd(2);
		igd.allowedFrom = 30000;
		igd.allowedTo = 30010;
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).externalPort()).isBetween(30000, 30010);
		assertThat(igd.actions).contains("AddAnyPortMapping");
	}

	@Test
	void reportsATypedErrorWhenAnIgdV1RouterRefusesThePort() throws Exception {
		FakeIgd igd = igd(1);
		igd.allowedFrom = 30000;
		igd.allowedTo = 30010;
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.failures.isEmpty());
		NatException failure = this.failures.get(0);
		assertThat(failure.kind()).isEqualTo(NatErrorKind.NOT_AUTHORIZED);
		assertThat(failure.protocol()).isEqualTo(NatProtocol.UPNP);
		assertThat(failure.routerCode()).isEqualTo(606);
		assertThat(failure.getMessage()).contains("UPnP error 606 (Action not authorized)");
	}

	@Test
	void anyModePicksUpnpWhenItIsAllTheRouterSpeaks() throws Exception {
		FakeIgd igd = igd(2);
		// PCP and NAT-PMP go to the SSDP responder's port too, where nothing answers them.
		MappingEngine engine = engine(igd.mode(NatMode.Kind.ANY), igd.ssdpPort());
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).protocol()).isEqualTo(NatProtocol.UPNP);
		assertThat(igd.descriptionReads).hasValue(1);
		assertThat(engine.gatewayInfo().answered()).containsExactly(NatProtocol.UPNP);
	}

	/**
	 * A router that speaks PCP and UPnP: PCP answers first, so the engine never searches for UPnP at all (its
	 * client, the SSDP exchange and the XML parse would only cost the starting application CPU).
	 */
	@Test
	void anyModeAsksNothingElseWhenPcpAnswers() throws Exception {
		FakeIgd igd = igd(2);
		FakeNatRouter router = new FakeNatRouter(true, false);
		this.resources.add(router);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY), igd.ssdpPort());
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).protocol()).isEqualTo(NatProtocol.PCP);
		Thread.sleep(PortMapperSelector.FALLBACK_DELAY.toMillis() + 200); // past the time the others would be asked
		assertThat(igd.searches).hasValue(0);
		assertThat(igd.descriptionReads).hasValue(0);
		assertThat(engine.gatewayInfo().answered()).containsExactly(NatProtocol.PCP);
		assertThat(this.failures).isEmpty();
	}

	/**
	 * A NAT-PMP router that speaks UPnP too, answering SSDP after 50 ms as miniupnpd does: PCP is refused at once
	 * (a version 0 answer), so NAT-PMP and UPnP are asked; NAT-PMP has won by the time SSDP answers, so the
	 * description is not read, yet the router is known to speak UPnP.
	 */
	@Test
	void anyModeDoesNotReadTheDescriptionWhenABetterProtocolAnsweredFirst() throws Exception {
		FakeIgd igd = igd(2);
		igd.searchDelayMillis = 50;
		FakeNatRouter router = new FakeNatRouter(false, true);
		this.resources.add(router);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY), igd.ssdpPort());
		engine.add(spec(8080, "test"));
		assertThat(awaitActive(engine).protocol()).isEqualTo(NatProtocol.NAT_PMP);
		await().atMost(Duration.ofSeconds(3))
			.until(() -> engine.gatewayInfo().answered().containsAll(Set.of(NatProtocol.NAT_PMP, NatProtocol.UPNP)));
		Thread.sleep(200); // time for a description read, were one coming
		assertThat(igd.searches.get()).isPositive();
		assertThat(igd.descriptionReads).hasValue(0);
		assertThat(igd.actions).isEmpty();
	}

	@Test
	void findsAndReportsAMappingTheRouterDroppedAndCreatesItAgain() throws Exception {
		FakeIgd igd = igd(2);
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofSeconds(1), "test"));
		awaitActive(engine);
		igd.mappings.clear(); // the router forgot it
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.lost.isEmpty());
		assertThat(this.lost.get(0).externalPort()).isEqualTo(8080);
		await().atMost(Duration.ofSeconds(1)).until(() -> igd.mappings.containsKey("TCP/8080"));
		assertThat(engine.mapping("server").orElseThrow().isActive()).isTrue();
	}

	/**
	 * The router lost this application's mapping and another host took the port: the release must not delete
	 * theirs. It asks whose the port is first, leaves it alone, and says so.
	 */
	@Test
	void releaseLeavesAPortAnotherHostTookAlone() throws Exception {
		FakeIgd igd = igd(2);
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		awaitActive(engine);
		FakeIgd.Entry theirs = new FakeIgd.Entry("192.0.2.77", 8080, "their game server", 3600);
		igd.mappings.put("TCP/8080", theirs);
		assertThat(engine.close(Duration.ofSeconds(2))).isTrue();
		assertThat(igd.mappings).containsEntry("TCP/8080", theirs);
		assertThat(igd.actions).doesNotContain("DeletePortMapping");
		Mapping released = engine.mapping("server").orElseThrow();
		assertThat(released.state()).isEqualTo(MappingState.REMOVED);
		assertThat(released.lastError().kind()).isEqualTo(NatErrorKind.MAPPING_TAKEN);
		assertThat(released.lastError().getMessage()).contains("now maps to 192.0.2.77:8080", "left alone");
	}

	/** The same host, another application on another local port: not this mapping's either. */
	@Test
	void releaseLeavesAPortThisHostHoldsForAnotherApplicationAlone() throws Exception {
		FakeIgd igd = igd(2);
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		awaitActive(engine);
		FakeIgd.Entry other = new FakeIgd.Entry("127.0.0.1", 8081, "another app", 3600);
		igd.mappings.put("TCP/8080", other);
		engine.close(Duration.ofSeconds(2));
		assertThat(igd.mappings).containsEntry("TCP/8080", other);
		assertThat(igd.actions).doesNotContain("DeletePortMapping");
	}

	@Test
	void releaseOfAnEntryTheRouterAlreadyLostDeletesNothing() throws Exception {
		FakeIgd igd = igd(2);
		MappingEngine engine = engine(igd.mode(NatMode.Kind.UPNP));
		engine.add(spec(8080, "test"));
		awaitActive(engine);
		igd.mappings.clear();
		assertThat(engine.close(Duration.ofSeconds(2))).isTrue();
		assertThat(igd.actions).doesNotContain("DeletePortMapping");
		assertThat(engine.mapping("server").orElseThrow().state()).isEqualTo(MappingState.REMOVED);
	}

	private FakeIgd igd(int version) throws Exception {
		FakeIgd igd = new FakeIgd(version);
		this.resources.add(igd);
		return igd;
	}

	private MappingEngine engine(NatMode mode) {
		return engine(mode, NatMode.SSDP_PORT);
	}

	private MappingEngine engine(NatMode mode, int ssdpPort) {
		MappingEngine engine = MappingEngine.builder()
			.mode(mode)
			.ssdpPort(ssdpPort)
			.ssdpNotifyPort(0)
			.retransmission(new Retransmission(Duration.ofMillis(20), Duration.ofMillis(80), 3))
			.retryBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
			.gatewayDiscovery(() -> {
				throw new AssertionError("tests never look up this machine's real gateway");
			})
			.listener(new MappingListener() {
				@Override
				public void mappingFailed(Mapping mapping, NatException cause) {
					UpnpMappingTests.this.failures.add(cause);
				}

				@Override
				public void mappingLost(Mapping mapping) {
					UpnpMappingTests.this.lost.add(mapping);
				}
			})
			.build();
		this.resources.add(0, engine);
		return engine;
	}

	private static MappingSpec spec(int port, String description) {
		return new MappingSpec("server", Transport.TCP, port, 0, Duration.ofMinutes(5), description);
	}

	private static Mapping awaitActive(MappingEngine engine) {
		await().atMost(Duration.ofSeconds(5)).until(() -> engine.mapping("server").map(Mapping::isActive).orElse(false));
		return engine.mapping("server").orElseThrow();
	}

}
