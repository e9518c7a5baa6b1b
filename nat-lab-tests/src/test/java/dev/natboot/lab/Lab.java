package dev.natboot.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One lab built by {@code lab/natlab}: a LAN host, a router running miniupnpd behind nftables NAT, and an
 * internet host, each in its own network namespace. Every command of the tests runs inside one of them.
 */
final class Lab implements AutoCloseable {

	static final Path ROOT = Path.of(System.getProperty("natboot.root", "..")).toAbsolutePath().normalize();

	static final Path NATLAB = ROOT.resolve("lab/natlab");

	/**
	 * The class path of these tests (their classes and every test dependency), for a JVM a test starts inside one
	 * of the lab's namespaces.
	 * @return the class path
	 * @throws java.io.IOException when the build has not written it
	 */
	static String testClasspath() throws java.io.IOException {
		return String.join(java.io.File.pathSeparator, ROOT.resolve("nat-lab-tests/target/test-classes").toString(),
				java.nio.file.Files.readString(ROOT.resolve("nat-lab-tests/target/test-classpath.txt")).trim());
	}

	static final String ROUTER_WAN = "11.22.33.1";

	static final String LAN_HOST = "192.0.2.10";

	static final String LAN_ROUTER = "192.0.2.1";

	/** Site 2's LAN host ({@code --site2}), behind router 2 at {@link #ROUTER2_WAN}. */
	static final String LAN2_HOST = "10.20.0.10";

	static final String ROUTER2_WAN = "11.22.44.1";

	static final String STUN = "11.22.33.2";

	private static final List<String> REQUIRED_TOOLS = List.of("miniupnpd", "nft", "upnpc", "curl", "ip",
			"turnserver");

	final String name;

	private Lab(String name) {
		this.name = name;
	}

	/**
	 * Skips when the lab cannot be built here (not root), visibly; under {@code CI=true} it fails instead,
	 * because CI must never pass without the real router.
	 */
	static void requireLab() {
		String problem = null;
		if (!"0".equals(run(List.of("id", "-u")).output.trim())) {
			problem = "lab tests need root (network namespaces, nftables)";
		}
		else {
			for (String tool : REQUIRED_TOOLS) {
				if (run(List.of("sh", "-c", "command -v " + tool)).exitCode != 0) {
					problem = "lab tests need '" + tool + "': run scripts/test.sh, which installs it";
					break;
				}
			}
		}
		if (problem == null) {
			return;
		}
		if ("true".equals(System.getenv("CI"))) {
			Assertions.fail(problem + " (CI=true: lab tests never skip)");
		}
		System.err.println("*** SKIPPED: " + problem + " ***");
		Assumptions.abort(problem);
	}

	static Lab up(String router, String... options) {
		List<String> all = new ArrayList<>(List.of("--router", router));
		all.addAll(List.of(options));
		return upWith(all);
	}

	/** A lab built with natlab's options as given. */
	static Lab upWith(List<String> options) {
		String name = "t" + ThreadLocalRandom.current().nextInt(10000, 99999);
		List<String> command = new ArrayList<>(List.of(NATLAB.toString(), "up", name));
		command.addAll(options);
		Result result = run(command);
		if (result.exitCode != 0) {
			run(List.of(NATLAB.toString(), "down", name));
			Assertions.fail("natlab up failed: " + result.output);
		}
		return new Lab(name);
	}

	/**
	 * Runs a command on one of the lab's hosts.
	 * @param host lan, router or inet
	 * @param command the command
	 * @return its exit code and output
	 */
	Result exec(String host, String... command) {
		List<String> full = new ArrayList<>(List.of(NATLAB.toString(), "exec", this.name, host));
		full.addAll(List.of(command));
		return run(full);
	}

	/**
	 * The network namespace of one of the lab's hosts, to start a long-running process in it.
	 * @param host lan, router or inet
	 * @return the namespace's name
	 */
	String namespace(String host) {
		return "natlab-" + this.name + "-" + switch (host) {
			case "lan" -> "lan";
			case "router" -> "rtr";
			case "inet" -> "inet";
			case "peer" -> "peer";
			case "ctr" -> "ctr";
			case "vpn" -> "vpn";
			case "lan2" -> "lan2";
			case "router2" -> "rtr2";
			default -> throw new IllegalArgumentException(host);
		};
	}

	/** The LAN host's interface, to change its addresses. */
	String lanInterface() {
		return "nl" + this.name + "h";
	}

	/** The router's WAN interface, toward the internet host. */
	String routerWanInterface() {
		return "nl" + this.name + "w";
	}

	/** The LAN host's VPN-like interface ({@code --vpn}). */
	String vpnInterface() {
		return "nl" + this.name + "v";
	}

	/** The router's port forwarding rules, as nftables holds them: the ground truth of what is mapped. */
	String forwardingRules() {
		return run(List.of(NATLAB.toString(), "mappings", this.name)).output;
	}

	/** The router's mappings as an independent UPnP client (miniupnpc's upnpc -l) lists them. */
	String upnpList() {
		return run(List.of(NATLAB.toString(), "upnp-list", this.name)).output;
	}

	/**
	 * An HTTP GET of a path on the sample app, from the LAN host.
	 * @param path for example {@code /actuator/health/nat}
	 * @return curl's exit code and the body, or its error
	 */
	Result getFromApp(String path) {
		return exec("lan", "curl", "-sS", "--max-time", "3", "http://" + LAN_HOST + ":8080" + path);
	}

	/**
	 * An HTTP GET of a path on a sample app running on another host of the lab, from that host.
	 * @param host where the app runs
	 * @param path for example {@code /actuator/nat}
	 * @return curl's exit code and the body, or its error
	 */
	Result getFromAppOn(String host, String path) {
		return exec(host, "curl", "-sS", "--max-time", "3", "http://127.0.0.1:8080" + path);
	}

	/**
	 * Polls a path on the sample app until its body contains the text.
	 * @return the body that did
	 * @throws AssertionError with the last body if it never does within the timeout
	 */
	String awaitFromApp(String path, String wanted, Duration timeout) throws InterruptedException {
		return await(() -> getFromApp(path).output(), wanted, "at " + path, timeout);
	}

	/** {@link #awaitFromApp} for an app running on another host of the lab, asked from that host. */
	String awaitFromAppOn(String host, String path, String wanted, Duration timeout) throws InterruptedException {
		return await(() -> getFromAppOn(host, path).output(), wanted, "at " + path + " on " + host, timeout);
	}

	/** An HTTP GET from the internet host; the body, or the empty string with the curl error on failure. */
	Result httpFromInternet(String host, int port) {
		return exec("inet", "curl", "-sS", "--max-time", "3", "http://" + host + ":" + port + "/");
	}

	/**
	 * Polls the app from the internet host until its answer contains the text. For the first request to an app
	 * that has only just started: on two busy cores its first answer (the dispatcher servlet starting, cold
	 * code) can take longer than one {@link #httpFromInternet} allows, although the connection came through.
	 * @return the answer that did
	 * @throws AssertionError with the last answer or curl error if it never does within the timeout
	 */
	String awaitFromInternet(String host, int port, String wanted, Duration timeout) throws InterruptedException {
		return await(() -> exec("inet", "curl", "-sS", "--max-time", "5", "http://" + host + ":" + port + "/").output(),
				wanted, "from " + host + ":" + port, timeout);
	}

	private static String await(Supplier<String> answer, String wanted, String where, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			last = answer.get();
			if (last.contains(wanted)) {
				return last;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No '" + wanted + "' " + where + " within " + timeout + ": " + last);
	}

	/**
	 * Runs {@code natlab router NAME ACTION}: start, stop, restart (a power cycle: every mapping lost) or flush
	 * (every mapping lost, daemon still up).
	 */
	void router(String action) {
		Result result = run(List.of(NATLAB.toString(), "router", this.name, action));
		Assertions.assertEquals(0, result.exitCode, result.output);
	}

	/** Makes the router vanish for the LAN: every PCP/NAT-PMP packet to it is dropped. */
	void dropRouterTraffic() {
		Result result = exec("router", "nft", "insert", "rule", "inet", "filter", "input", "udp", "dport", "5351",
				"drop");
		Assertions.assertEquals(0, result.exitCode, result.output);
	}

	/**
	 * Starts or stops coturn on the internet host ({@code natlab stun NAME start|stop}).
	 * @param action start or stop
	 * @param turnOptions more turnserver options, such as {@code --stale-nonce=1}
	 */
	void stun(String action, String... turnOptions) {
		Result result = run(List.of("env", "NATLAB_TURN_OPTIONS=" + String.join(" ", turnOptions), NATLAB.toString(),
				"stun", this.name, action));
		Assertions.assertEquals(0, result.exitCode, result.output);
	}

	/**
	 * Starts, stops, restarts or kills OpenSSH's sshd on the internet host ({@code natlab ssh NAME ACTION}).
	 * @param action start, stop, restart (every sshd killed, then started) or kill
	 * @param environment more settings, such as {@code NATLAB_SSH_GATEWAY_PORTS=no}
	 */
	void ssh(String action, String... environment) {
		List<String> command = new ArrayList<>(List.of("env"));
		command.addAll(List.of(environment));
		command.addAll(List.of(NATLAB.toString(), "ssh", this.name, action));
		Result result = run(command);
		Assertions.assertEquals(0, result.exitCode, result.output);
	}

	/** The lab's state directory: the relay server's keys are in {@code ssh/}. */
	Path state() {
		return Path.of("/run/natlab", this.name);
	}

	@Override
	public void close() {
		run(List.of(NATLAB.toString(), "down", this.name));
	}

	static Result run(List<String> command) {
		try {
			Path output = Files.createTempFile("natlab", ".out");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					return new Result(-1, "timed out: " + command);
				}
				return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			return new Result(-1, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, ex.toString());
		}
	}

	record Result(int exitCode, String output) {

		boolean ok() {
			return this.exitCode == 0;
		}

	}

}
