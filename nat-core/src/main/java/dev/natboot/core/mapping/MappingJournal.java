package dev.natboot.core.mapping;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, in a small file of this application's own, the mappings a router only granted without a lease:
 * they would outlive a crash of the application, so the next start deletes them. Written on the engine's loop
 * thread only, replaced atomically; read with bounds, malformed lines skipped.
 */
final class MappingJournal {

	private static final System.Logger logger = System.getLogger(MappingJournal.class.getName());

	/** More entries than any application has mappings: a larger file is not this journal's. */
	static final int MAX_ENTRIES = 1000;

	private static final long MAX_FILE_SIZE = 256 * 1024;

	private final Path file;

	private final Set<Entry> entries = new LinkedHashSet<>();

	MappingJournal(Path file) {
		this.file = file;
		this.entries.addAll(read(file));
	}

	/**
	 * What the previous runs left: entries recorded and never released.
	 * @return the entries
	 */
	List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	void record(Entry entry) {
		if (this.entries.add(entry)) {
			write();
		}
	}

	void forget(Entry entry) {
		if (this.entries.remove(entry)) {
			write();
		}
	}

	Path file() {
		return this.file;
	}

	private void write() {
		List<String> lines = new ArrayList<>();
		lines.add("# natboot: mappings granted without a lease, deleted at the next start if still there");
		this.entries.forEach((entry) -> lines.add(entry.line()));
		try {
			Path directory = this.file.toAbsolutePath().getParent();
			Files.createDirectories(directory);
			Path temporary = Files.createTempFile(directory, ".natboot", ".tmp");
			Files.write(temporary, lines, StandardCharsets.UTF_8);
			try {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, () -> "Cannot write " + this.file + " (" + ex.getMessage() + "): a permanent "
					+ "mapping left by a crash will not be deleted at the next start");
		}
	}

	private static List<Entry> read(Path file) {
		try {
			if (!Files.isRegularFile(file)) {
				return List.of();
			}
			if (Files.size(file) > MAX_FILE_SIZE) {
				logger.log(Level.WARNING, () -> file + " is too large to be a natboot journal: ignored");
				return List.of();
			}
			try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
				return lines.filter((line) -> !line.isBlank() && !line.startsWith("#"))
					.limit(MAX_ENTRIES)
					.map(Entry::parse)
					.filter((entry) -> entry != null)
					.toList();
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.WARNING, () -> "Cannot read " + file + ": " + ex.getMessage());
			return List.of();
		}
	}

	/**
	 * One permanent mapping: on which router, which external port, for which local port and description.
	 * Together with the host's own address, which the router checks, these say it is this application's.
	 */
	record Entry(InetAddress gateway, Transport transport, int externalPort, int internalPort, String description) {

		String line() {
			return "upnp " + this.gateway.getHostAddress() + " " + this.transport + " " + this.externalPort + " "
					+ this.internalPort + " " + URLEncoder.encode(this.description, StandardCharsets.UTF_8);
		}

		static @Nullable Entry parse(String line) {
			String[] fields = line.trim().split(" ");
			if (fields.length != 6 || !fields[0].equals("upnp")) {
				return null;
			}
			try {
				InetAddress gateway = IpLiteral.parse(fields[1]);
				Transport transport = Transport.valueOf(fields[2]);
				int externalPort = Integer.parseInt(fields[3]);
				int internalPort = Integer.parseInt(fields[4]);
				if (gateway == null || externalPort < 1 || externalPort > 65535 || internalPort < 1
						|| internalPort > 65535) {
					return null;
				}
				return new Entry(gateway, transport, externalPort, internalPort,
						URLDecoder.decode(fields[5], StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

}
