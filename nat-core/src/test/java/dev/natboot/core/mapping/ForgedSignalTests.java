package dev.natboot.core.mapping;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another device on the LAN forges the router's announcements, with the router's own address and port and
 * epochs that jump back and forth, five a second. Every one is a hint at most: the engine checks with one
 * request of its own per window, takes only the router's own answer, and logs next to nothing.
 */
class ForgedSignalTests {

	private final MappingEngineTests.RecordingListener events = new MappingEngineTests.RecordingListener();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final List<LogRecord> logged = new CopyOnWriteArrayList<>();

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.INFO.intValue()) {
				ForgedSignalTests.this.logged.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final int announcementPort = TestEngines.freeUdpPort();

	@BeforeEach
	void captureLog() {
		Logger.getLogger("dev.natboot.core").addHandler(this.capture);
	}

	@AfterEach
	void closeEverything() throws Exception {
		Logger.getLogger("dev.natboot.core").removeHandler(this.capture);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	/** The target: 30 forged packets in 6 s cause at most 3 requests at the router and 3 log lines. */
	@ParameterizedTest(name = "PCP {0}")
	@ValueSource(booleans = { true, false })
	void thirtyForgedAnnouncementsInSixSecondsCostAtMostThreeRequests(boolean pcp) throws Exception {
		FakeNatRouter router = register(new FakeNatRouter(true, true));
		MappingEngine engine = register(TestEngines.fastBuilder(router.mode(pcp ? NatMode.Kind.PCP : NatMode.Kind.PMP))
			.announcementPort(this.announcementPort)
			.listener(this.events)
			.build());
		engine.add(spec("server", 8080));
		await().atMost(Duration.ofSeconds(3)).until(() -> router.mappings.size() == 1);
		Thread.sleep(200);
		int before = router.requests.size();
		this.logged.clear();
		long epoch = router.epoch();
		for (int i = 0; i < 30; i++) {
			// Back to zero, far ahead, back again: each looks like a restart against the one before.
			long claimed = (i % 2 == 0) ? 0 : epoch + 100_000;
			router.forgeAnnouncement(this.announcementPort, pcp, claimed, InetAddress.getByName("6.6.6.6"));
			Thread.sleep(200);
		}
		Thread.sleep(300);
		int requests = router.requests.size() - before;
		System.out.printf("%s: 30 forged announcements in 6 s -> %d requests at the router, %d log lines%n",
				pcp ? "PCP" : "NAT-PMP", requests, this.logged.size());
		assertThat(requests).isLessThanOrEqualTo(3);
		assertThat(this.logged).hasSizeLessThanOrEqualTo(3);
		assertThat(this.events.lost).isEmpty();
		assertThat(engine.routerSignals().countOf(RouterSignalCounts.Signal.ANNOUNCEMENT,
				RouterSignalCounts.Outcome.SUPPRESSED)).isGreaterThanOrEqualTo(27);
		// The forged epochs were never adopted: the router's next real answer is no restart.
		assertThat(engine.remap("server")).isTrue();
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.renewed.isEmpty());
		Thread.sleep(300);
		assertThat(this.events.lost).isEmpty();
		assertThat(engine.externalAddress()).contains(FakeNatRouter.EXTERNAL);
	}

	@Test
	void anAnnouncementFromTheRoutersAddressButAnotherPortIsForeign() throws Exception {
		FakeNatRouter router = register(new FakeNatRouter(true, true));
		MappingEngine engine = register(TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
			.announcementPort(this.announcementPort)
			.listener(this.events)
			.build());
		engine.add(spec("server", 8080));
		await().atMost(Duration.ofSeconds(3)).until(() -> router.mappings.size() == 1);
		router.restart();
		int before = router.requests.size();
		byte[] restart = PcpCodec.encode(new PcpResponse(PcpOpcode.ANNOUNCE, PcpResultCode.SUCCESS, 0, 0, null, List.of()));
		try (DatagramSocket sameHostOtherPort = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			sameHostOtherPort.send(new DatagramPacket(restart, restart.length, InetAddress.getLoopbackAddress(),
					this.announcementPort));
		}
		Thread.sleep(500);
		assertThat(router.requests).hasSize(before);
		assertThat(engine.ignoredDatagrams().countOf(IgnoredDatagrams.Reason.FOREIGN)).isEqualTo(1);
	}

	@Test
	void aRealRestartIsStillRemappedAtOnce() throws Exception {
		FakeNatRouter router = register(new FakeNatRouter(true, true));
		MappingEngine engine = register(TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
			.announcementPort(this.announcementPort)
			.listener(this.events)
			.build());
		engine.add(spec("server", 8080));
		engine.add(spec("game", 27015));
		await().atMost(Duration.ofSeconds(3)).until(() -> router.mappings.size() == 2);
		router.restart();
		router.announce(this.announcementPort, true);
		await().atMost(Duration.ofSeconds(1)).until(() -> router.mappings.size() == 2);
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 2);
		// A second restart within the window is not lost: its announcement is checked once the window ends. (Its
		// epoch must have run long enough to show the restart: RFC 6887 tolerates a second or two of drift.)
		Thread.sleep(3000);
		router.restart();
		router.announce(this.announcementPort, true);
		Thread.sleep(300);
		router.announce(this.announcementPort, true);
		await().atMost(Duration.ofSeconds(4)).until(() -> router.mappings.size() == 2);
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 4);
	}

	private <T extends AutoCloseable> T register(T resource) {
		this.resources.add(0, resource);
		return resource;
	}

	private static MappingSpec spec(String name, int port) {
		return new MappingSpec(name, Transport.TCP, port, 0, Duration.ofHours(1), "test");
	}

}
