package dev.natboot.core.mapping;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A UPnP router that takes only permanent leases: what a crash leaves open would stay open for ever, so the
 * engine remembers it in its journal and the next start deletes it, and only it.
 */
class PermanentLeaseTests {

	@TempDir
	Path directory;

	@Test
	void aPermanentMappingIsRecordedWhileItLivesAndForgottenWhenReleased() throws Exception {
		Path journal = this.directory.resolve("app.mappings");
		try (FakeIgd igd = new FakeIgd(1)) {
			igd.permanentLeasesOnly = true;
			try (MappingEngine engine = TestEngines.fastBuilder(igd.mode(NatMode.Kind.UPNP))
				.permanentMappingJournal(journal)
				.build()) {
				engine.add(spec("server", 8080, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(Files.readString(journal)).contains("upnp 127.0.0.1 TCP 8080 8080 web");
			}
			assertThat(igd.mappings).isEmpty();
			assertThat(Files.readAllLines(journal)).allMatch((line) -> line.startsWith("#"));
		}
	}

	@Test
	void theNextStartDeletesWhatACrashLeftAndNothingElse() throws Exception {
		Path journal = this.directory.resolve("app.mappings");
		Files.writeString(journal, String.join("\n", "# left by a run that was killed",
				"upnp 127.0.0.1 TCP 8080 8080 web", // still held for this host: deleted
				"upnp 127.0.0.1 TCP 8081 8081 web", // now another host's: left alone
				"upnp 127.0.0.1 UDP 27015 27015 game", // now another application's on this host: left alone
				"upnp 192.0.2.77 TCP 8082 8082 web", // another router: not this one's business
				"garbage line", "upnp 127.0.0.1 TCP 0 8080 web"));
		try (FakeIgd igd = new FakeIgd(1)) {
			igd.permanentLeasesOnly = true;
			igd.mappings.put("TCP/8080", new FakeIgd.Entry("127.0.0.1", 8080, "web", 0));
			igd.mappings.put("TCP/8081", new FakeIgd.Entry("192.0.2.50", 8081, "web", 0));
			igd.mappings.put("UDP/27015", new FakeIgd.Entry("127.0.0.1", 27015, "another game", 0));
			try (MappingEngine engine = TestEngines.fastBuilder(igd.mode(NatMode.Kind.UPNP))
				.permanentMappingJournal(journal)
				.build()) {
				engine.add(spec("server", 9000, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(igd.mappings).containsOnlyKeys("TCP/8081", "UDP/27015", "TCP/9000");
				assertThat(Files.readString(journal)).doesNotContain("TCP 8080 8080", "TCP 8081", "UDP 27015")
					.contains("upnp 192.0.2.77 TCP 8082 8082 web", "upnp 127.0.0.1 TCP 9000 9000 web");
			}
			assertThat(igd.mappings).containsOnlyKeys("TCP/8081", "UDP/27015");
		}
	}

	private static MappingSpec spec(String name, int port, String description) {
		return new MappingSpec(name, Transport.TCP, port, 0, Duration.ofMinutes(5), description);
	}

}
