package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class MappingEngineTests {

	private static final Retransmission FAST = TestEngines.FAST;

	private final RecordingListener events = new RecordingListener();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeEverything() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void mapsWithPcpWhenTheRouterSpeaksBoth() throws Exception {
		FakeNatRouter router = router(true, true);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(spec("server", 8080, 0));
		Mapping mapping = awaitActive(engine, "server");
		assertThat(mapping.protocol()).isEqualTo(NatProtocol.PCP);
		assertThat(mapping.externalEndpoint()).isEqualTo(new InetSocketAddress(FakeNatRouter.EXTERNAL, 8080));
		assertThat(mapping.timeToConfirm()).isNotNull().isLessThan(Duration.ofSeconds(1));
		assertThat(router.pmpMapRequests.get()).isZero();
		assertThat(this.events.created).hasSize(1);
	}

	@Test
	void fallsBackToNatPmpWhenPcpIsAnsweredInVersionZero() throws Exception {
		FakeNatRouter router = router(false, true);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(spec("server", 8080, 0));
		Mapping mapping = awaitActive(engine, "server");
		assertThat(mapping.protocol()).isEqualTo(NatProtocol.NAT_PMP);
		assertThat(mapping.externalAddress()).isEqualTo(FakeNatRouter.EXTERNAL);
		assertThat(router.mappings).containsEntry("TCP/8080", 8080);
	}

	@Test
	void anyModeDoesNotWaitForAPcpRouterThatStaysSilent() throws Exception {
		FakeNatRouter router = router(false, true);
		router.dropPcp = true;
		MappingEngine engine = register(builder(router.mode(NatMode.Kind.ANY))
			.retransmission(new Retransmission(Duration.ofMillis(500), Duration.ofSeconds(2), 5))
			.build());
		engine.add(spec("server", 8080, 0));
		Mapping mapping = awaitActive(engine, "server");
		assertThat(mapping.protocol()).isEqualTo(NatProtocol.NAT_PMP);
		// PCP's first retransmission would come after 450-550 ms; the grace after NAT-PMP's answer is far shorter.
		assertThat(mapping.timeToConfirm()).isLessThan(Duration.ofMillis(400));
	}

	@Test
	void explicitModesUseOnlyTheirProtocol() throws Exception {
		FakeNatRouter router = router(true, true);
		MappingEngine pmp = engine(router.mode(NatMode.Kind.PMP));
		pmp.add(spec("udp", 5000, 0, Transport.UDP));
		assertThat(awaitActive(pmp, "udp").protocol()).isEqualTo(NatProtocol.NAT_PMP);
		assertThat(router.pcpMapRequests.get()).isZero();
		MappingEngine pcp = engine(router.mode(NatMode.Kind.PCP));
		pcp.add(spec("tcp", 5001, 0));
		assertThat(awaitActive(pcp, "tcp").protocol()).isEqualTo(NatProtocol.PCP);
	}

	@Test
	void pcpModeWithARouterThatSpeaksOnlyNatPmpIsATypedFailure() throws Exception {
		FakeNatRouter router = router(false, true);
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("server", 8080, 0));
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.failures.isEmpty());
		assertThat(this.events.failures.get(0).kind()).isEqualTo(NatErrorKind.UNSUPPORTED_VERSION);
		assertThat(this.events.failures.get(0).protocol()).isEqualTo(NatProtocol.PCP);
		assertThat(router.mappings).isEmpty();
	}

	@Test
	void honoursTheGrantedLifetimeAndRenewsBeforeItRunsOut() throws Exception {
		FakeNatRouter router = router(true, false);
		router.maxLifetimeSeconds = 2;
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(10), "test"));
		Mapping mapping = awaitActive(engine, "server");
		assertThat(mapping.lifetime()).isEqualTo(Duration.ofSeconds(2));
		// Renewal falls between 1 s and 1.25 s after the grant.
		await().atMost(Duration.ofMillis(1900)).until(() -> engine.mapping("server").orElseThrow().renewals() >= 1);
		assertThat(this.events.renewed).isNotEmpty();
		assertThat(router.pcpMapRequests.get()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void reportsANewExternalAddressOnce() throws Exception {
		FakeNatRouter router = router(true, false);
		router.maxLifetimeSeconds = 1;
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("a", 8080, 0));
		engine.add(spec("b", 8081, 0));
		awaitActive(engine, "a");
		awaitActive(engine, "b");
		assertThat(engine.externalAddress()).contains(FakeNatRouter.EXTERNAL);
		InetAddress renumbered = InetAddress.getByName("198.51.100.77");
		router.external = renumbered;
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.mappings().stream()
			.allMatch((mapping) -> renumbered.equals(mapping.externalAddress())));
		assertThat(this.events.addressChanges).containsExactly(FakeNatRouter.EXTERNAL + " -> " + renumbered);
		assertThat(this.events.changed).hasSize(2);
		assertThat(engine.externalAddress()).contains(renumbered);
	}

	@Test
	void aNewExternalAddressSeenByOneMappingIsAnnouncedByEveryMappingAtOnce() throws Exception {
		FakeNatRouter router = router(true, false);
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("a", 8080, 0));
		engine.add(spec("b", 8081, 0));
		awaitActive(engine, "a");
		awaitActive(engine, "b");
		InetAddress renumbered = InetAddress.getByName("198.51.100.78");
		router.external = renumbered;
		engine.remap("a"); // one renewal sees it; "b" has minutes to go
		await().atMost(Duration.ofSeconds(2)).until(() -> engine.mappings().stream()
			.allMatch((mapping) -> renumbered.equals(mapping.externalAddress())));
		assertThat(this.events.changed).extracting(Mapping::name).containsExactlyInAnyOrder("a", "b");
		GatewayInfo info = engine.gatewayInfo();
		assertThat(info.externalAddress()).isEqualTo(renumbered);
		assertThat(info.previousExternalAddress()).isEqualTo(FakeNatRouter.EXTERNAL);
		assertThat(info.externalAddressChangedAt()).isNotNull();
	}

	@Test
	void keepsTheNonceSoRenewalsNameTheSameMapping() throws Exception {
		FakeNatRouter router = router(true, false);
		router.maxLifetimeSeconds = 1;
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("server", 8080, 0));
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().renewals() >= 2);
		List<String> nonces = router.requests.stream()
			.filter((hex) -> hex.startsWith("0201"))
			.map((hex) -> hex.substring(48, 72))
			.distinct()
			.toList();
		assertThat(nonces).hasSize(1);
	}

	@Test
	void acceptsAnotherExternalPortThanTheOneAskedFor() throws Exception {
		FakeNatRouter router = router(true, false);
		router.mappings.put("TCP/9999", 8080); // someone else holds 8080
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("server", 8080, 0));
		assertThat(awaitActive(engine, "server").externalPort()).isEqualTo(8081);
	}

	@Test
	void retriesWithBackoffWhenTheRouterRefusesAndRecovers() throws Exception {
		FakeNatRouter router = router(true, false);
		router.pcpRefusal = PcpResultCode.NO_RESOURCES;
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("server", 8080, 0));
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.failures.isEmpty());
		Mapping failed = engine.mapping("server").orElseThrow();
		assertThat(failed.state()).isEqualTo(MappingState.RETRYING);
		assertThat(failed.lastError()).isNotNull();
		assertThat(failed.lastError().kind()).isEqualTo(NatErrorKind.NO_RESOURCES);
		assertThat(failed.lastError().routerCode()).isEqualTo(8);
		router.pcpRefusal = PcpResultCode.SUCCESS;
		assertThat(awaitActive(engine, "server").failures()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void reportsNoResponseWhenNothingAnswers() throws Exception {
		FakeNatRouter router = router(true, true);
		router.silent = true;
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(spec("server", 8080, 0));
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.failures.isEmpty());
		assertThat(this.events.failures.get(0).kind()).isEqualTo(NatErrorKind.NO_RESPONSE);
		assertThat(engine.mapping("server").orElseThrow().state()).isEqualTo(MappingState.RETRYING);
	}

	@Test
	void releasesEveryMappingOnClose() throws Exception {
		FakeNatRouter router = router(true, true);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(spec("a", 8080, 0));
		engine.add(spec("b", 8081, 0, Transport.UDP));
		awaitActive(engine, "a");
		awaitActive(engine, "b");
		assertThat(router.mappings).hasSize(2);
		assertThat(engine.close(Duration.ofSeconds(2))).isTrue();
		assertThat(router.mappings).isEmpty();
		assertThat(this.events.removed).hasSize(2);
		assertThat(engine.mappings()).allMatch((mapping) -> mapping.state() == MappingState.REMOVED);
	}

	@Test
	void aReleaseTheRouterDoesNotConfirmIsAbandonedNotRemoved() throws Exception {
		FakeNatRouter router = router(true, false);
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("server", 8080, 0));
		Mapping active = awaitActive(engine, "server");
		router.close(); // gone: the delete meets a closed port
		assertThat(engine.release(Duration.ofSeconds(2))).isTrue();
		Mapping abandoned = engine.mapping("server").orElseThrow();
		assertThat(abandoned.state()).isEqualTo(MappingState.ABANDONED);
		assertThat(abandoned.expiresAt()).isEqualTo(active.expiresAt());
		assertThat(abandoned.lastError()).isNotNull();
		assertThat(this.events.removed).extracting(Mapping::state).containsExactly(MappingState.ABANDONED);
	}

	@Test
	void closeIsBoundedWhenTheRouterVanished() throws Exception {
		FakeNatRouter router = router(true, false);
		MappingEngine engine = register(builder(router.mode(NatMode.Kind.PCP))
			.retransmission(new Retransmission(Duration.ofMillis(200), Duration.ofSeconds(2), 9))
			.build());
		engine.add(spec("server", 8080, 0));
		awaitActive(engine, "server");
		router.silent = true;
		long start = System.nanoTime();
		assertThat(engine.close(Duration.ofMillis(300))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void closeAfterATimedOutReleaseDoesNotWaitAgain() throws Exception {
		FakeNatRouter router = router(true, false);
		MappingEngine engine = register(builder(router.mode(NatMode.Kind.PCP))
			.retransmission(new Retransmission(Duration.ofMillis(200), Duration.ofSeconds(2), 9))
			.shutdownTimeout(Duration.ofSeconds(5))
			.build());
		engine.add(spec("server", 8080, 0));
		awaitActive(engine, "server");
		router.silent = true;
		assertThat(engine.release(Duration.ofMillis(300))).isFalse();
		long start = System.nanoTime();
		engine.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void releasesOneMappingAndMapsItAgainOnRequest() throws Exception {
		FakeNatRouter router = router(true, true);
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(spec("a", 8080, 0));
		engine.add(spec("b", 8081, 0));
		awaitActive(engine, "a");
		awaitActive(engine, "b");
		assertThat(engine.gatewayInfo().protocol()).isEqualTo(NatProtocol.PCP);
		// PCP answered: NAT-PMP, which the router also speaks, was not asked.
		assertThat(engine.gatewayInfo().answered()).containsExactly(NatProtocol.PCP);
		assertThat(engine.gatewayInfo().externalAddress()).isEqualTo(FakeNatRouter.EXTERNAL);
		engine.release("a").orElseThrow().get();
		assertThat(engine.mapping("a").orElseThrow().state()).isEqualTo(MappingState.REMOVED);
		assertThat(router.mappings).containsOnlyKeys("TCP/8081");
		assertThat(engine.remap("a")).isTrue();
		awaitActive(engine, "a");
		assertThat(router.mappings).containsKeys("TCP/8080", "TCP/8081");
		int before = router.pcpMapRequests.get();
		assertThat(engine.remap("b")).isTrue(); // an active one renews at once
		await().atMost(Duration.ofSeconds(2)).until(() -> router.pcpMapRequests.get() > before);
		assertThat(engine.remap("nope")).isFalse();
		assertThat(engine.release("nope")).isEmpty();
	}

	@Test
	void removeReleasesOneMapping() throws Exception {
		FakeNatRouter router = router(true, false);
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(spec("a", 8080, 0));
		engine.add(spec("b", 8081, 0));
		awaitActive(engine, "a");
		awaitActive(engine, "b");
		engine.remove("a").orElseThrow().get();
		assertThat(router.mappings).containsOnlyKeys("TCP/8081");
		assertThat(engine.mappings()).extracting(Mapping::name).containsExactly("b");
		assertThat(engine.remove("nope")).isEmpty();
	}

	@Test
	void releaseWaitsForAnAttemptInFlightAndDeletesWhatItGranted() throws Exception {
		FakeNatRouter router = router(true, false);
		MappingEngine engine = register(builder(router.mode(NatMode.Kind.PCP))
			.retransmission(new Retransmission(Duration.ofMillis(150), Duration.ofMillis(600), 3))
			.build());
		router.delayMillis = 50; // each answer comes late, within the schedule, after close() began
		engine.add(spec("server", 8080, 0));
		await().atMost(Duration.ofSeconds(1)).until(() -> router.pcpMapRequests.get() >= 1);
		assertThat(engine.close(Duration.ofSeconds(3))).isTrue();
		assertThat(router.mappings).isEmpty();
	}

	@Test
	void extipGrantsTheDeclaredAddressWithoutTalkingToAnyone() throws Exception {
		MappingEngine engine = engine(NatMode.of("extip:198.51.100.9"));
		engine.add(spec("server", 8080, 9090));
		Mapping mapping = awaitActive(engine, "server");
		assertThat(mapping.protocol()).isEqualTo(NatProtocol.MANUAL);
		assertThat(mapping.externalEndpoint()).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.9"), 9090));
		assertThat(mapping.expiresAt()).isNull();
	}

	@Test
	void noneModeMapsNothing() {
		MappingEngine engine = engine(NatMode.NONE);
		engine.add(spec("server", 8080, 0));
		assertThat(engine.mapping("server").orElseThrow().state()).isEqualTo(MappingState.DISABLED);
	}

	@Test
	void noGatewayIsATypedFailure() {
		MappingEngine engine = register(builder(NatMode.ANY).gatewayDiscovery(Optional::empty).build());
		engine.add(spec("server", 8080, 0));
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.failures.isEmpty());
		assertThat(this.events.failures.get(0).kind()).isEqualTo(NatErrorKind.NO_GATEWAY);
	}

	@Test
	void rejectsDuplicateNamesAndBadPorts() {
		MappingEngine engine = engine(NatMode.NONE);
		engine.add(spec("server", 8080, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.add(spec("server", 8081, 0)));
		assertThatIllegalArgumentException().isThrownBy(() -> spec("zero", 0, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> spec("big", 70000, 0));
	}

	@Test
	void anIdleEngineHasOneThreadAtMost() throws Exception {
		FakeNatRouter router = router(true, false);
		long before = engineThreads();
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		for (int port = 10000; port < 10050; port++) {
			engine.add(spec("m" + port, port, 0));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> engine.mappings().stream().allMatch(Mapping::isActive));
		assertThat(engineThreads() - before).isEqualTo(1);
		engine.close();
		await().atMost(Duration.ofSeconds(2)).until(() -> engineThreads() == before);
	}

	private static long engineThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().equals("nat-engine")).count();
	}

	private FakeNatRouter router(boolean pcp, boolean pmp) throws Exception {
		FakeNatRouter router = new FakeNatRouter(pcp, pmp);
		this.resources.add(router);
		return router;
	}

	private MappingEngine engine(NatMode mode) {
		return register(builder(mode).build());
	}

	private MappingEngineBuilder builder(NatMode mode) {
		return TestEngines.fastBuilder(mode).listener(this.events);
	}

	private MappingEngine register(MappingEngine engine) {
		this.resources.add(0, engine);
		return engine;
	}

	private static MappingSpec spec(String name, int port, int externalPort) {
		return spec(name, port, externalPort, Transport.TCP);
	}

	private static MappingSpec spec(String name, int port, int externalPort, Transport transport) {
		return new MappingSpec(name, transport, port, externalPort, Duration.ofMinutes(5), "test");
	}

	private static Mapping awaitActive(MappingEngine engine, String name) {
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping(name).map(Mapping::isActive).orElse(false));
		return engine.mapping(name).orElseThrow();
	}

	static final class RecordingListener implements MappingListener {

		final List<Mapping> created = new CopyOnWriteArrayList<>();

		final List<Mapping> renewed = new CopyOnWriteArrayList<>();

		final List<Mapping> removed = new CopyOnWriteArrayList<>();

		final List<NatException> failures = new CopyOnWriteArrayList<>();

		final List<Mapping> changed = new CopyOnWriteArrayList<>();

		final List<Mapping> lost = new CopyOnWriteArrayList<>();

		final List<String> addressChanges = new CopyOnWriteArrayList<>();

		final List<MappingOperation> operations = new CopyOnWriteArrayList<>();

		@Override
		public void operationCompleted(MappingOperation operation) {
			this.operations.add(operation);
		}

		@Override
		public void mappingChanged(Mapping previous, Mapping current) {
			this.changed.add(current);
		}

		@Override
		public void mappingLost(Mapping mapping) {
			this.lost.add(mapping);
		}

		@Override
		public void externalAddressChanged(InetAddress previous, InetAddress current) {
			this.addressChanges.add(previous + " -> " + current);
		}

		@Override
		public void mappingCreated(Mapping mapping) {
			this.created.add(mapping);
		}

		@Override
		public void mappingRenewed(Mapping mapping) {
			this.renewed.add(mapping);
		}

		@Override
		public void mappingFailed(Mapping mapping, NatException cause) {
			this.failures.add(cause);
		}

		@Override
		public void mappingRemoved(Mapping mapping) {
			this.removed.add(mapping);
		}

	}

}
