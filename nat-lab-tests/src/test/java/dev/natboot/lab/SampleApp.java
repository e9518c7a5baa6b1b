package dev.natboot.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;

/**
 * The real {@code sample-app.jar}, started with {@code java -jar} on the lab's LAN host.
 */
final class SampleApp implements AutoCloseable {

	static final Path JAR = Lab.ROOT.resolve("sample-app/target/sample-app.jar");

	/** The line natboot logs when the server became reachable. */
	static final Pattern REACHABLE = Pattern.compile("Web server port (\\d+)/TCP is reachable at ([\\d.]+):(\\d+) "
			+ "\\((PCP|NAT-PMP|UPnP) via gateway ([\\d.]+), lease (\\d+) s, confirmed in ([\\d.]+) ms\\)");

	private final Process process;

	private final Path log;

	private SampleApp(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	static SampleApp start(Lab lab, String... arguments) throws IOException {
		return startOn(lab, "lan", arguments);
	}

	/**
	 * Starts the app on one of the lab's hosts.
	 * @param host lan, or router for an app on the internet side with no NAT in front
	 */
	static SampleApp startOn(Lab lab, String host, String... arguments) throws IOException {
		return startOn(lab, host, List.of(), arguments);
	}

	/**
	 * Starts the app on one of the lab's hosts with options for its JVM.
	 * @param host lan, or router for an app on the internet side with no NAT in front
	 * @param jvmOptions options before {@code -jar}, such as {@code -Dspring.aot.enabled=true}
	 */
	static SampleApp startOn(Lab lab, String host, List<String> jvmOptions, String... arguments) throws IOException {
		Assertions.assertTrue(Files.isRegularFile(JAR), JAR + " is missing: build sample-app first (./mvnw package)");
		Path log = Files.createTempFile("sample-app", ".log");
		List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace(host),
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", JAR.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new SampleApp(process, log);
	}

	/**
	 * Waits for a log line.
	 * @param pattern what to look for
	 * @param timeout how long
	 * @return the match
	 */
	Matcher awaitLog(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Matcher matcher = pattern.matcher(log());
			if (matcher.find()) {
				return matcher;
			}
			if (!this.process.isAlive()) {
				break;
			}
			Thread.sleep(50);
		}
		return Assertions.fail("No '" + pattern + "' in the sample app's log within " + timeout + ":\n" + log());
	}

	String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	/**
	 * Stops the app as a service manager would, with SIGTERM.
	 * @return how long the app took to exit
	 */
	Duration stop(Duration timeout) throws InterruptedException, IOException {
		long start = System.nanoTime();
		this.process.destroy();
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			Assertions.fail("Sample app did not stop within " + timeout + ":\n" + log());
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/** The app's process id ({@code ip netns exec} runs java in its own place). */
	long pid() {
		return this.process.pid();
	}

	/** Kills the app with SIGKILL: no shutdown hook, no release, as after a crash or the OOM killer. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		Assertions.assertTrue(this.process.waitFor(10, TimeUnit.SECONDS), "sample app survived SIGKILL");
	}

	@Override
	public void close() throws IOException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
		Files.deleteIfExists(this.log);
	}

}
