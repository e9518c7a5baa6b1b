package dev.natboot.core.mapping;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A UPnP router that takes only permanent leases: what a crash leaves open would stay open for ever. Each
 * running instance keeps its own locked journal in the application's directory, writes a mapping down before the
 * router is asked for it, and a later start deletes what instances that are gone left, and only that.
 */
class PermanentLeaseTests {

	@TempDir
	Path directory;

	@Test
	void aPermanentMappingIsOnDiskBeforeTheRouterIsAskedAndForgottenWhenReleased() throws Exception {
		List<String> seenWhenAsked = new CopyOnWriteArrayList<>();
		try (FakeIgd igd = new FakeIgd(1)) {
			igd.permanentLeasesOnly = true;
			igd.beforeAdd = (arguments) -> {
				if ("0".equals(arguments.get("NewLeaseDuration"))) {
					seenWhenAsked.add(journalText());
				}
			};
			try (MappingEngine engine = engine(igd)) {
				engine.add(spec("server", 8080, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(journalText()).contains("+ upnp 127.0.0.1 TCP 8080 127.0.0.1 8080 web");
			}
			assertThat(seenWhenAsked).hasSize(1).first().asString().contains("+ upnp 127.0.0.1 TCP 8080 127.0.0.1 8080 web");
			assertThat(igd.mappings).isEmpty();
			// Nothing left to remember: the instance's file goes with it.
			assertThat(journalFiles()).isEmpty();
		}
	}

	@Test
	void twoRunningInstancesNeverDeleteEachOthersMappings() throws Exception {
		try (FakeIgd igd = new FakeIgd(1)) {
			igd.permanentLeasesOnly = true;
			try (MappingEngine first = engine(igd)) {
				first.add(spec("server", 8080, "natboot web server"));
				await().atMost(Duration.ofSeconds(3)).until(() -> first.mapping("server").orElseThrow().isActive());
				try (MappingEngine second = engine(igd)) {
					second.add(spec("server", 8081, "natboot web server"));
					await().atMost(Duration.ofSeconds(3)).until(() -> second.mapping("server").orElseThrow().isActive());
					assertThat(igd.mappings).containsOnlyKeys("TCP/8080", "TCP/8081");
					assertThat(journalFiles()).hasSize(2);
				}
				// The second one's stop deleted its own mapping and nothing of the first one's.
				assertThat(igd.mappings).containsOnlyKeys("TCP/8080");
				assertThat(journalFiles()).hasSize(1);
				assertThat(journalText()).contains("TCP 8080 127.0.0.1 8080");
			}
			assertThat(igd.mappings).isEmpty();
		}
	}

	/** An instance in another process holds its journal: a start on the same directory leaves it all alone. */
	@Test
	void anotherProcessesJournalIsNeverReadWhileItRuns() throws Exception {
		Path theirs = this.directory.resolve("4242-aaaaaaaaaaaa" + MappingJournal.SUFFIX);
		Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), JournalHolder.class.getName(), theirs.toString(),
				"upnp 127.0.0.1 TCP 8080 127.0.0.1 8080 web")
			.redirectErrorStream(true)
			.start();
		try (FakeIgd igd = new FakeIgd(1);
				BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
			assertThat(out.readLine()).isEqualTo("locked");
			igd.permanentLeasesOnly = true;
			igd.mappings.put("TCP/8080", new FakeIgd.Entry("127.0.0.1", 8080, "web", 0));
			try (MappingEngine engine = engine(igd)) {
				engine.add(spec("server", 9000, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(igd.mappings).containsKeys("TCP/8080", "TCP/9000");
				assertThat(theirs).exists();
			}
			assertThat(igd.mappings).containsOnlyKeys("TCP/8080");
		}
		finally {
			holder.getOutputStream().close();
			holder.waitFor();
		}
		// Gone now: the next start takes its journal over and deletes its mapping.
		try (FakeIgd igd = new FakeIgd(1)) {
			igd.permanentLeasesOnly = true;
			igd.mappings.put("TCP/8080", new FakeIgd.Entry("127.0.0.1", 8080, "web", 0));
			try (MappingEngine engine = engine(igd)) {
				engine.add(spec("server", 9000, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(igd.mappings).containsOnlyKeys("TCP/9000");
				assertThat(theirs).doesNotExist();
			}
		}
	}

	@Test
	void theNextStartDeletesWhatACrashLeftAndNothingElse() throws Exception {
		Path dead = this.directory.resolve("4242-bbbbbbbbbbbb" + MappingJournal.SUFFIX);
		Files.createDirectories(this.directory);
		Files.writeString(dead, String.join("\n", "# left by a run that was killed",
				"+ upnp 127.0.0.1 TCP 8080 127.0.0.1 8080 web", // still held for this host: deleted
				"+ upnp 127.0.0.1 TCP 8081 127.0.0.1 8081 web", // now another host's: left alone
				"+ upnp 127.0.0.1 UDP 27015 127.0.0.1 27015 game", // now another application's on this host: left alone
				"+ upnp 192.0.2.77 TCP 8082 127.0.0.1 8082 web", // another router: not this one's business
				"+ upnp 127.0.0.1 TCP 8083 127.0.0.1 8083 web", "- upnp 127.0.0.1 TCP 8083 127.0.0.1 8083 web",
				"garbage line", "+ upnp 127.0.0.1 TCP 8084 127.0.0.1 80")); // a line cut short by the crash
		try (FakeIgd igd = new FakeIgd(1)) {
			igd.permanentLeasesOnly = true;
			igd.mappings.put("TCP/8080", new FakeIgd.Entry("127.0.0.1", 8080, "web", 0));
			igd.mappings.put("TCP/8081", new FakeIgd.Entry("192.0.2.50", 8081, "web", 0));
			igd.mappings.put("TCP/8083", new FakeIgd.Entry("127.0.0.1", 8083, "web", 0));
			igd.mappings.put("UDP/27015", new FakeIgd.Entry("127.0.0.1", 27015, "another game", 0));
			try (MappingEngine engine = engine(igd)) {
				engine.add(spec("server", 9000, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(igd.mappings).containsOnlyKeys("TCP/8081", "TCP/8083", "UDP/27015", "TCP/9000");
				assertThat(dead).doesNotExist();
				// The other router's entry is kept, in this instance's own journal now.
				assertThat(journalText()).contains("upnp 192.0.2.77 TCP 8082", "TCP 9000 127.0.0.1 9000 web");
			}
			assertThat(igd.mappings).containsOnlyKeys("TCP/8081", "TCP/8083", "UDP/27015");
			assertThat(liveEntries()).containsExactly("upnp 192.0.2.77 TCP 8082 127.0.0.1 8082 web");
		}
	}

	/**
	 * Killed after asking an IGD v2 router to choose a port for a permanent mapping and before hearing which:
	 * the journal names no port, so the next start finds the entry in the router's table.
	 */
	@Test
	void aMappingWhosePortTheRouterChoseIsFoundInItsTable() throws Exception {
		Files.createDirectories(this.directory);
		Files.writeString(this.directory.resolve("4242-cccccccccccc" + MappingJournal.SUFFIX),
				"+ upnp 127.0.0.1 TCP 0 127.0.0.1 8080 web\n");
		try (FakeIgd igd = new FakeIgd(2)) {
			igd.mappings.put("TCP/40000", new FakeIgd.Entry("127.0.0.1", 8080, "web", 0));
			igd.mappings.put("TCP/40001", new FakeIgd.Entry("127.0.0.1", 8080, "someone else", 0));
			try (MappingEngine engine = engine(igd)) {
				engine.add(spec("server", 9000, "web"));
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(igd.mappings).containsOnlyKeys("TCP/40001", "TCP/9000");
			}
		}
	}

	private MappingEngine engine(FakeIgd igd) {
		return TestEngines.fastBuilder(igd.mode(NatMode.Kind.UPNP)).permanentMappingJournal(this.directory).build();
	}

	private List<Path> journalFiles() throws Exception {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter((file) -> file.toString().endsWith(MappingJournal.SUFFIX)).toList();
		}
	}

	private List<String> liveEntries() throws Exception {
		return journalFiles().stream()
			.flatMap((file) -> MappingJournal.read(file).stream())
			.map(MappingJournal.Entry::line)
			.toList();
	}

	private String journalText() {
		try {
			StringBuilder text = new StringBuilder();
			for (Path file : journalFiles()) {
				text.append(Files.readString(file));
			}
			return text.toString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MappingSpec spec(String name, int port, String description) {
		return new MappingSpec(name, Transport.TCP, port, 0, Duration.ofMinutes(5), description);
	}

}
