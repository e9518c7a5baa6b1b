package dev.natboot.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;

/**
 * One ICE agent of a lab test, as a process on a lab host: natboot's CLI ({@code natboot-cli ice}) or a foreign
 * agent's driver ({@code lab/aioice-peer.py}, {@code lab/nice-peer}). Each prints its description in RFC 8839's
 * lines, reads the peer's from standard input, prints a {@code connected in N ms ...} line, and prints what it
 * receives as {@code < TEXT}. Standard output and error are read together, every line kept for the report.
 */
final class IcePeer implements AutoCloseable {

	static final Path CLI = Lab.ROOT.resolve("nat-cli/target/natboot-cli.jar");

	private final String name;

	private final Process process;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());

	private IcePeer(String name, Process process) {
		this.name = name;
		this.process = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = out.readLine(); line != null; line = out.readLine()) {
					this.seen.add(line);
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				this.seen.add("(read failed: " + ex.getMessage() + ")");
			}
		}, "ice-peer-" + name);
		reader.setDaemon(true);
		reader.start();
	}

	/** natboot's CLI, {@code ice} with the options given. */
	static IcePeer natboot(Lab lab, String host, String... options) throws IOException {
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", CLI.toString(), "ice"));
		command.addAll(List.of(options));
		return start("natboot@" + host, lab.namespace(host), command);
	}

	/** aioice, through {@code lab/aioice-peer.py}. */
	static IcePeer aioice(Lab lab, String host, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", Lab.ROOT.resolve("lab/aioice-peer.py").toString()));
		command.addAll(List.of(arguments));
		return start("aioice@" + host, lab.namespace(host), command);
	}

	/** libnice, through {@code lab/nice-peer.c} built by {@link #buildLibnicePeer()}. */
	static IcePeer libnice(Lab lab, String host, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(NICE_PEER.toString()));
		command.addAll(List.of(arguments));
		return start("libnice@" + host, lab.namespace(host), command);
	}

	static final Path NICE_PEER = Lab.ROOT.resolve("nat-lab-tests/target/nice-peer");

	/** Compiles the libnice peer (lab/build-nice-peer), once. */
	static void buildLibnicePeer() {
		Lab.Result built = Lab.run(List.of(Lab.ROOT.resolve("lab/build-nice-peer").toString(), NICE_PEER.toString()));
		if (built.exitCode() != 0) {
			throw new AssertionError("lab/build-nice-peer failed: " + built.output());
		}
	}

	static IcePeer start(String name, String namespace, List<String> command) throws IOException {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
		full.addAll(command);
		return new IcePeer(name, new ProcessBuilder(full).redirectErrorStream(true).start());
	}

	private static String javaBinary() {
		return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** The description it prints first: its {@code a=} lines up to its end of candidates. */
	String description(Duration timeout) throws InterruptedException {
		StringBuilder text = new StringBuilder();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String line = this.lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (line == null) {
				throw new AssertionError(this.name + " printed no description in " + timeout + ":\n" + report());
			}
			if (line.startsWith("a=")) {
				text.append(line).append('\n');
			}
			if (line.equals("a=end-of-candidates")) {
				return text.toString();
			}
		}
	}

	/** Writes text to its standard input. */
	void type(String text) throws IOException {
		OutputStream in = this.process.getOutputStream();
		in.write(text.getBytes(StandardCharsets.UTF_8));
		in.flush();
	}

	/**
	 * Waits for a line that matches.
	 * @return the match
	 * @throws AssertionError with every line seen when none comes in time
	 */
	Matcher await(Pattern wanted, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			String line = (left > 0) ? this.lines.poll(left, TimeUnit.NANOSECONDS) : null;
			if (line == null) {
				throw new AssertionError(this.name + ": no line like /" + wanted + "/ in " + timeout + ":\n" + report());
			}
			Matcher matcher = wanted.matcher(line);
			if (matcher.find()) {
				return matcher;
			}
		}
	}

	String report() {
		synchronized (this.seen) {
			return this.name + ":\n  " + String.join("\n  ", this.seen);
		}
	}

	@Override
	public void close() {
		try {
			this.process.getOutputStream().close();
			if (!this.process.waitFor(3, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (IOException | InterruptedException ex) {
			this.process.destroyForcibly();
		}
	}

}
