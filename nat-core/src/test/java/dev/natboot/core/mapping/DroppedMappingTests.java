package dev.natboot.core.mapping;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routers that forget mappings without a word, and UPnP routers that restart: the engine verifies each
 * mapping once per verification interval, and hears SSDP announcements, so neither goes unnoticed until the
 * next renewal.
 */
class DroppedMappingTests {

	private final MappingEngineTests.RecordingListener events = new MappingEngineTests.RecordingListener();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeEverything() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void aUpnpMappingTheRouterDroppedIsFoundByTheVerificationAndMappedAgain() throws Exception {
		FakeIgd igd = register(new FakeIgd(2));
		MappingEngine engine = register(TestEngines.fastBuilder(igd.mode(NatMode.Kind.UPNP))
			.verificationInterval(Duration.ofMillis(300))
			.listener(this.events)
			.build());
		engine.add(spec("server", 8080));
		await().atMost(Duration.ofSeconds(3)).until(() -> igd.mappings.containsKey("TCP/8080"));
		// Two verifications that find it: checks only, nothing added again.
		await().atMost(Duration.ofSeconds(3)).until(() -> verifications() >= 2);
		assertThat(igd.actions.stream().filter("AddPortMapping"::equals)).hasSize(1);
		igd.mappings.clear();
		long dropped = System.nanoTime();
		await().atMost(Duration.ofSeconds(2)).until(() -> igd.mappings.containsKey("TCP/8080"));
		assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofMillis(900));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 1);
		assertThat(this.events.created).hasSize(2);
		assertThat(this.events.operations).anyMatch((operation) -> operation.kind() == MappingOperation.Kind.VERIFY
				&& operation.protocol() == NatProtocol.UPNP && operation.succeeded());
	}

	@Test
	void aPcpMappingTheRouterDroppedIsRenewedWithinTheVerificationInterval() throws Exception {
		FakeNatRouter router = register(new FakeNatRouter(true, true));
		MappingEngine engine = register(TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
			.announcementPort(0)
			.verificationInterval(Duration.ofMillis(400))
			.listener(this.events)
			.build());
		engine.add(spec("server", 8080));
		await().atMost(Duration.ofSeconds(3)).until(() -> router.mappings.size() == 1);
		router.mappings.clear();
		// One hour lease: only the verification can explain the mapping back this soon.
		await().atMost(Duration.ofSeconds(2)).until(() -> router.mappings.size() == 1);
		// The router holds it again as soon as it answered; the engine hears the answer a moment later.
		await().atMost(Duration.ofSeconds(1)).until(() -> !this.events.renewed.isEmpty());
	}

	@Test
	void aUpnpRouterThatAnnouncesARestartIsMappedAgainAtOnce() throws Exception {
		FakeIgd igd = register(new FakeIgd(2));
		int notifyPort = TestEngines.freeUdpPort();
		mappedWithAnnouncementsHeard(igd, notifyPort);
		igd.announce(notifyPort, "ssdp:alive", 1); // the periodic announcement: nothing to do
		Thread.sleep(300);
		assertThat(igd.actions.stream().filter("AddPortMapping"::equals)).hasSize(1);
		igd.announce(notifyPort, "ssdp:byebye", 1);
		igd.mappings.clear();
		long restarted = System.nanoTime();
		igd.announce(notifyPort, "ssdp:alive", 2);
		await().atMost(Duration.ofSeconds(2)).until(() -> igd.mappings.containsKey("TCP/8080"));
		assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofMillis(900));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.events.lost.size() == 1);
		// The description is read again: a restarted router may serve its control URL elsewhere.
		assertThat(igd.actions.stream().filter("GetExternalIPAddress"::equals)).hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void aNewBootIdAloneMeansARestartToo() throws Exception {
		FakeIgd igd = register(new FakeIgd(1));
		int notifyPort = TestEngines.freeUdpPort();
		mappedWithAnnouncementsHeard(igd, notifyPort);
		igd.announce(notifyPort, "ssdp:alive", 7);
		Thread.sleep(200);
		igd.mappings.clear();
		igd.announce(notifyPort, "ssdp:alive", 8);
		await().atMost(Duration.ofSeconds(1)).until(() -> igd.mappings.containsKey("TCP/8080"));
	}

	@Test
	void announcementsFromAnotherAddressAreIgnored() throws Exception {
		FakeIgd igd = register(new FakeIgd(2));
		int notifyPort = TestEngines.freeUdpPort();
		mappedWithAnnouncementsHeard(igd, notifyPort);
		int actions = igd.actions.size();
		try (DatagramSocket rogue = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
			for (String kind : List.of("ssdp:byebye", "ssdp:alive")) {
				byte[] data = ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: " + kind
						+ "\r\nLOCATION: http://127.0.0.2:1/desc.xml\r\nBOOTID.UPNP.ORG: 99\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII);
				rogue.send(new java.net.DatagramPacket(data, data.length,
						new InetSocketAddress(InetAddress.getLoopbackAddress(), notifyPort)));
			}
		}
		Thread.sleep(400);
		assertThat(igd.actions).hasSize(actions);
		assertThat(this.events.lost).isEmpty();
	}

	/**
	 * A router that announces another root device too (a media server on the router, a second IGD instance):
	 * its announcements come from the same address, with their own UUID and BOOTID. Taken for the IGD's, each
	 * cycle of them was a restart, a description read and a remap.
	 */
	@Test
	void anotherDeviceOnTheRoutersAddressIsNotTheIgd() throws Exception {
		FakeIgd igd = register(new FakeIgd(2));
		int notifyPort = TestEngines.freeUdpPort();
		mappedWithAnnouncementsHeard(igd, notifyPort);
		int actions = igd.actions.size();
		int reads = igd.descriptionReads.get();
		for (int boot = 1; boot <= 10; boot++) {
			igd.announceAs(notifyPort, "ssdp:byebye", boot, "media-server", "/dms.xml");
			igd.announceAs(notifyPort, "ssdp:alive", boot, "media-server", "/dms.xml");
		}
		Thread.sleep(400);
		assertThat(igd.actions).hasSize(actions);
		assertThat(igd.descriptionReads.get()).isEqualTo(reads);
		assertThat(this.events.lost).isEmpty();
	}

	/** BOOTIDs that flip at every announcement, real or forged, cost at most one remap per window. */
	@Test
	void flappingBootIdsCostOneRemapPerWindow() throws Exception {
		FakeIgd igd = register(new FakeIgd(2));
		int notifyPort = TestEngines.freeUdpPort();
		mappedWithAnnouncementsHeard(igd, notifyPort);
		long adds = igd.actions.stream().filter("AddPortMapping"::equals).count();
		int reads = igd.descriptionReads.get();
		for (int i = 0; i < 20; i++) {
			igd.announce(notifyPort, "ssdp:alive", 100 + (i % 2));
			Thread.sleep(100);
		}
		Thread.sleep(400);
		// Two seconds of flapping: the first flip remaps at once, the rest wait for the end of the window.
		assertThat(igd.actions.stream().filter("AddPortMapping"::equals).count() - adds).isEqualTo(1);
		assertThat(igd.descriptionReads.get() - reads).isEqualTo(1);
	}

	/** An engine that hears SSDP announcements on the port, with "server" mapped on the fake IGD. */
	private void mappedWithAnnouncementsHeard(FakeIgd igd, int notifyPort) {
		MappingEngine engine = register(TestEngines.fastBuilder(igd.mode(NatMode.Kind.UPNP))
			.ssdpNotifyPort(notifyPort)
			.listener(this.events)
			.build());
		engine.add(spec("server", 8080));
		await().atMost(Duration.ofSeconds(3)).until(() -> igd.mappings.containsKey("TCP/8080"));
	}

	private int verifications() {
		return (int) this.events.operations.stream()
			.filter((operation) -> operation.kind() == MappingOperation.Kind.VERIFY)
			.count();
	}

	private <T extends AutoCloseable> T register(T resource) {
		this.resources.add(0, resource);
		return resource;
	}

	private static MappingSpec spec(String name, int port) {
		return new MappingSpec(name, Transport.TCP, port, 0, Duration.ofHours(1), "test");
	}

}
