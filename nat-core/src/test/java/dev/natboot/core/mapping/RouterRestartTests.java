package dev.natboot.core.mapping;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A router that restarts loses every mapping: the engine hears it announce itself, or sees its epoch start
 * again in an answer, and maps everything again at once instead of waiting for each renewal.
 */
class RouterRestartTests {

	private final MappingEngineTests.RecordingListener events = new MappingEngineTests.RecordingListener();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final int announcementPort = TestEngines.freeUdpPort();

	@AfterEach
	void closeEverything() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void aPcpAnnouncementAfterARestartRemapsEveryMappingAtOnce() throws Exception {
		FakeNatRouter router = router();
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP), this.announcementPort);
		engine.add(spec("server", 8080));
		engine.add(spec("game", 27015));
		awaitRouterHolds(router, 2, Duration.ofSeconds(3));
		router.restart();
		long restarted = System.nanoTime();
		router.announce(this.announcementPort, true);
		awaitRouterHolds(router, 2, Duration.ofSeconds(1));
		// One hour leases: only the announcement can explain mappings back this soon.
		assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofMillis(900));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 2);
		assertThat(this.events.created).hasSize(4);
	}

	@Test
	void aNatPmpAnnouncementAfterARestartRemapsToo() throws Exception {
		FakeNatRouter router = router();
		MappingEngine engine = engine(router.mode(NatMode.Kind.PMP), this.announcementPort);
		engine.add(spec("server", 8080));
		awaitRouterHolds(router, 1, Duration.ofSeconds(3));
		router.restart();
		router.announce(this.announcementPort, false);
		awaitRouterHolds(router, 1, Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 1);
	}

	@Test
	void announcementsFromAnotherHostAreIgnored() throws Exception {
		FakeNatRouter router = router();
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP), this.announcementPort);
		engine.add(spec("server", 8080));
		awaitRouterHolds(router, 1, Duration.ofSeconds(3));
		router.restart();
		byte[] forged = PcpCodec.encode(new PcpResponse(PcpOpcode.ANNOUNCE, PcpResultCode.SUCCESS, 0, 0, null, List.of()));
		try (DatagramSocket rogue = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
			rogue.send(new DatagramPacket(forged, forged.length, InetAddress.getLoopbackAddress(), this.announcementPort));
			rogue.send(new DatagramPacket(new byte[] { 2, (byte) 0x80 }, 2, InetAddress.getLoopbackAddress(),
					this.announcementPort));
		}
		Thread.sleep(500);
		assertThat(router.mappings).isEmpty();
		assertThat(this.events.lost).isEmpty();
	}

	@Test
	void aRestartSeenInOneRenewalRemapsTheOthersWithoutAnAnnouncement() throws Exception {
		FakeNatRouter router = router();
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP), 0);
		engine.add(spec("server", 8080));
		awaitRouterHolds(router, 1, Duration.ofSeconds(3));
		router.maxLifetimeSeconds = 2;
		engine.add(spec("short", 9000));
		awaitRouterHolds(router, 2, Duration.ofSeconds(3));
		router.restart();
		// 'short' renews within 1.25 s and finds the new epoch; 'server', with an hour to go, follows at once.
		awaitRouterHolds(router, 2, Duration.ofMillis(2500));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 2);
	}

	@Test
	void aRouterBackFromAnOutageIsRetriedWhenItAnnouncesNotAfterTheBackoff() throws Exception {
		FakeNatRouter router = router();
		router.silent = true;
		MappingEngine engine = register(builder(router.mode(NatMode.Kind.PCP), this.announcementPort)
			.retryBackoff(Duration.ofSeconds(20), Duration.ofSeconds(60))
			.build());
		engine.add(spec("server", 8080));
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.failures.isEmpty());
		router.silent = false;
		router.announce(this.announcementPort, true);
		awaitRouterHolds(router, 1, Duration.ofSeconds(1));
	}

	private static void awaitRouterHolds(FakeNatRouter router, int count, Duration timeout) {
		await().atMost(timeout).until(() -> router.mappings.size() == count);
	}

	private FakeNatRouter router() throws Exception {
		FakeNatRouter router = new FakeNatRouter(true, true);
		this.resources.add(router);
		return router;
	}

	private MappingEngine engine(NatMode mode, int announcementPort) {
		return register(builder(mode, announcementPort).build());
	}

	private MappingEngineBuilder builder(NatMode mode, int announcementPort) {
		return TestEngines.fastBuilder(mode).announcementPort(announcementPort).listener(this.events);
	}

	private MappingEngine register(MappingEngine engine) {
		this.resources.add(0, engine);
		return engine;
	}

	private static MappingSpec spec(String name, int port) {
		return new MappingSpec(name, Transport.TCP, port, 0, Duration.ofHours(1), "test");
	}

}
