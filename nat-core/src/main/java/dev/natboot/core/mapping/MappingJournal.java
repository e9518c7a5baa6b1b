package dev.natboot.core.mapping;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the mappings a router granted only without a lease, which would outlive a crash, so that a later
 * start deletes them. Safe with several instances of one application sharing the directory and with a crash at
 * any moment:
 * <ul>
 * <li>Each running engine writes a file of its own in the directory and holds an exclusive lock on it while it
 * runs: no two running instances ever share an entry, and a file whose lock can be taken belongs to an instance
 * that is gone.</li>
 * <li>A mapping is written down, and the file and directory forced to disk, before the router is asked for it:
 * a crash between the router's grant and the write cannot leave a permanent mapping nobody knows of.</li>
 * <li>The file is an append-only log of {@code +} and {@code -} lines, so a crash in the middle of a write
 * loses at most that line; a live engine's file is never replaced, so its lock always covers it.</li>
 * <li>Cleanup reads only the files of instances that are gone, takes their entries over into its own file, and
 * then deletes theirs: what a live process owns is never touched.</li>
 * </ul>
 * Written on the engine's loop thread only; reads are bounded and skip malformed lines.
 */
final class MappingJournal implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(MappingJournal.class.getName());

	/** More entries than any application has mappings: a larger file is not this journal's. */
	static final int MAX_ENTRIES = 1000;

	static final String SUFFIX = ".journal";

	private static final long MAX_FILE_SIZE = 256 * 1024;

	/** Appends past this size rewrite the live entries first, under the lock. */
	private static final long COMPACT_AT = 64 * 1024;

	private static final String HEADER = "# natboot: mappings granted without a lease; '+' recorded, '-' released\n";

	private final Path directory;

	private final Path file;

	private final Set<Entry> entries = new LinkedHashSet<>();

	private @Nullable FileChannel channel;

	private @Nullable FileLock lock;

	private boolean broken;

	/**
	 * Creates this engine's journal in a directory; nothing is written before the first entry.
	 * @param directory the directory, shared by the instances of one application
	 */
	MappingJournal(Path directory) {
		this.directory = directory.toAbsolutePath();
		// Unique among the instances that share the directory, not secret: no SecureRandom (and its provider
		// classes) on the thread that creates the engine.
		long unique = ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL;
		this.file = this.directory.resolve(ProcessHandle.current().pid() + "-" + Long.toHexString(unique) + SUFFIX);
	}

	Path file() {
		return this.file;
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * This engine's entries.
	 * @return the entries recorded and not released
	 */
	List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	/**
	 * Writes an entry down and forces it to disk, before the router is asked for the mapping it names.
	 * @param entry the mapping
	 * @return whether it is on disk; false when the journal cannot be written (said once, in the log)
	 */
	boolean record(Entry entry) {
		if (this.entries.contains(entry)) {
			return true;
		}
		if (append("+ " + entry.line())) {
			this.entries.add(entry);
			return true;
		}
		return false;
	}

	/**
	 * Forgets an entry: the mapping was released, refused, or is no longer this application's.
	 * @param entry the mapping
	 */
	void forget(Entry entry) {
		if (!this.entries.remove(entry)) {
			return;
		}
		if (this.entries.isEmpty()) {
			truncate();
		}
		else {
			append("- " + entry.line());
		}
	}

	/**
	 * Takes over what instances that are gone left: every other journal file in the directory whose lock can be
	 * taken. Their entries are written into this engine's own file, forced, and their files deleted.
	 * @return the entries taken over
	 */
	List<Entry> adoptLeftovers() {
		List<Entry> adopted = new ArrayList<>();
		if (!Files.isDirectory(this.directory)) {
			return adopted;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "*" + SUFFIX)) {
			int seen = 0;
			for (Path other : files) {
				if (other.equals(this.file) || ++seen > MAX_ENTRIES) {
					continue;
				}
				adopted.addAll(adopt(other));
			}
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, () -> "Cannot read " + this.directory + " (" + ex.getMessage()
					+ "): permanent mappings left by a crash are not deleted");
		}
		return adopted;
	}

	private List<Entry> adopt(Path other) {
		try (FileChannel theirs = FileChannel.open(other, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			FileLock held;
			try {
				held = theirs.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				return List.of(); // another engine of this very process: alive
			}
			if (held == null) {
				return List.of(); // its instance runs
			}
			try {
				List<Entry> leftovers = read(other);
				for (Entry entry : leftovers) {
					if (!record(entry)) {
						return List.of(); // not safely ours: leave theirs as it is for a later start
					}
				}
				Files.delete(other);
				forceDirectory();
				return leftovers;
			}
			finally {
				held.release();
			}
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Cannot take over " + other + ": " + ex.getMessage());
			return List.of();
		}
	}

	/** Releases the lock; deletes the file when nothing is left in it. */
	@Override
	public void close() {
		FileChannel open = this.channel;
		this.channel = null;
		if (open == null) {
			return;
		}
		try {
			if (this.entries.isEmpty()) {
				Files.deleteIfExists(this.file);
			}
			open.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Closing " + this.file + " failed: " + ex.getMessage());
		}
	}

	private boolean append(String line) {
		FileChannel open = open();
		if (open == null) {
			return false;
		}
		try {
			if (open.size() > COMPACT_AT) {
				rewrite(open);
			}
			write(open, line + "\n");
			open.force(true);
			return true;
		}
		catch (IOException ex) {
			failed(ex);
			return false;
		}
	}

	private void truncate() {
		FileChannel open = open();
		if (open == null) {
			return;
		}
		try {
			open.truncate(0);
			write(open, HEADER);
			open.force(true);
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	/** Rewrites the live entries in place, through the locked channel: the lock keeps covering the file. */
	private void rewrite(FileChannel open) throws IOException {
		StringBuilder content = new StringBuilder(HEADER);
		this.entries.forEach((entry) -> content.append("+ ").append(entry.line()).append('\n'));
		open.truncate(0);
		write(open, content.toString());
	}

	private static void write(FileChannel channel, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		channel.position(channel.size());
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/** This engine's file, created and locked on first use; {@code null} when it cannot be. */
	private @Nullable FileChannel open() {
		if (this.channel != null || this.broken) {
			return this.channel;
		}
		try {
			Files.createDirectories(this.directory);
			// Locked under a name cleanup does not read, then renamed: no other instance can ever find this file
			// unlocked and take it for a dead one's.
			Path unlisted = this.directory.resolve(this.file.getFileName() + ".new");
			FileChannel created = FileChannel.open(unlisted, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock taken = created.tryLock();
			if (taken == null) {
				created.close();
				throw new IOException("locked by another process");
			}
			write(created, HEADER);
			created.force(true);
			Files.move(unlisted, this.file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			forceDirectory();
			this.channel = created;
			this.lock = taken;
			return created;
		}
		catch (IOException | OverlappingFileLockException ex) {
			failed(ex);
			return null;
		}
	}

	/** A new or deleted file is durable only once its directory is: fsync it, where the platform allows. */
	private void forceDirectory() {
		try (FileChannel directoryChannel = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			directoryChannel.force(true);
		}
		catch (IOException | RuntimeException ex) {
			// Windows cannot open a directory: there, a file's own force is what the file system offers.
		}
	}

	private void failed(Exception ex) {
		if (!this.broken) {
			this.broken = true;
			logger.log(Level.WARNING, () -> "Cannot write " + this.file + " (" + ex.getMessage() + "): a permanent "
					+ "mapping left by a crash will not be deleted at the next start");
		}
	}

	/** The live entries of a journal file: each '+' line not undone by a later '-' line. */
	static List<Entry> read(Path file) {
		try {
			if (!Files.isRegularFile(file)) {
				return List.of();
			}
			if (Files.size(file) > MAX_FILE_SIZE) {
				logger.log(Level.WARNING, () -> file + " is too large to be a natboot journal: ignored");
				return List.of();
			}
			Set<Entry> live = new LinkedHashSet<>();
			int lines = 0;
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				if (++lines > 4 * MAX_ENTRIES) {
					break;
				}
				boolean added = line.startsWith("+ ");
				Entry entry = (added || line.startsWith("- ")) ? Entry.parse(line.substring(2)) : null;
				if (entry == null) {
					continue; // a comment, or the torn last line of a crash
				}
				if (added && live.size() < MAX_ENTRIES) {
					live.add(entry);
				}
				else if (!added) {
					live.remove(entry);
				}
			}
			return List.copyOf(live);
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.WARNING, () -> "Cannot read " + file + ": " + ex.getMessage());
			return List.of();
		}
	}

	/**
	 * One permanent mapping: on which router, which external port (0 while the router is still to choose it),
	 * for which host, local port and description. Together these say it is this application's.
	 */
	record Entry(InetAddress gateway, Transport transport, int externalPort, InetAddress internalClient,
			int internalPort, String description) {

		String line() {
			return "upnp " + this.gateway.getHostAddress() + " " + this.transport + " " + this.externalPort + " "
					+ this.internalClient.getHostAddress() + " " + this.internalPort + " "
					+ URLEncoder.encode(this.description, StandardCharsets.UTF_8);
		}

		static @Nullable Entry parse(String line) {
			String[] fields = line.trim().split(" ");
			if (fields.length != 7 || !fields[0].equals("upnp")) {
				return null;
			}
			try {
				InetAddress gateway = IpLiteral.parse(fields[1]);
				Transport transport = Transport.valueOf(fields[2]);
				int externalPort = Integer.parseInt(fields[3]);
				InetAddress client = IpLiteral.parse(fields[4]);
				int internalPort = Integer.parseInt(fields[5]);
				if (gateway == null || client == null || externalPort < 0 || externalPort > 65535 || internalPort < 1
						|| internalPort > 65535) {
					return null;
				}
				return new Entry(gateway, transport, externalPort, client, internalPort,
						URLDecoder.decode(fields[6], StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

		// Written out because a record's own equals and hashCode link through ObjectMethods' bootstrap at their
		// first call: about 10 ms of the engine thread's CPU during the app's start (async-profiler, UPnP router).
		@Override
		public boolean equals(@Nullable Object other) {
			return this == other || (other instanceof Entry entry && this.externalPort == entry.externalPort
					&& this.internalPort == entry.internalPort && this.transport == entry.transport
					&& this.gateway.equals(entry.gateway) && this.internalClient.equals(entry.internalClient)
					&& this.description.equals(entry.description));
		}

		@Override
		public int hashCode() {
			int hash = this.gateway.hashCode();
			hash = 31 * hash + this.transport.hashCode();
			hash = 31 * hash + this.externalPort;
			hash = 31 * hash + this.internalClient.hashCode();
			hash = 31 * hash + this.internalPort;
			return 31 * hash + this.description.hashCode();
		}

	}

}
