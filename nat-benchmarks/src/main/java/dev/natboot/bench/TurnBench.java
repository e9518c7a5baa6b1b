package dev.natboot.bench;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.natboot.core.reachability.TurnReachabilityProbe;
import dev.natboot.core.turn.TurnAllocation;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnServer;

/**
 * nat-core's TURN client against a real server, for the benchmark: allocations (the first in a JVM, then warm)
 * with a UDP relay over UDP and a TCP relay over TCP, each released before the next, and checks from outside of
 * an HTTP endpoint (allocation, Connect, ConnectionBind, HEAD and its answer, release) as the reachability
 * monitor makes them. Prints {@code RESULT <label> <ms>} lines. Run only in the lab.
 *
 * <pre>TurnBench HOST USER PASSWORD RUNS CHECK_HOST CHECK_PORT</pre>
 */
public final class TurnBench {

	private TurnBench() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		TurnCredentials credentials = TurnCredentials.of(args[1], args[2]);
		int runs = Integer.parseInt(args[3]);
		InetSocketAddress endpoint = new InetSocketAddress(args[4], Integer.parseInt(args[5]));
		TurnOptions options = TurnOptions.defaults().withRefreshAutomatically(false);
		TurnServer udp = TurnServer.parse("turn:" + host + "?transport=udp");
		TurnServer tcp = TurnServer.parse("turn:" + host + "?transport=tcp");
		TurnReachabilityProbe probe = new TurnReachabilityProbe(java.util.List.of(tcp), credentials, Duration.ofSeconds(5));
		for (int run = 0; run <= runs; run++) {
			String when = (run == 0) ? "first in a JVM" : "warm";
			long start = System.nanoTime();
			try (TurnAllocation allocation = TurnAllocation.allocate(udp, credentials, TurnAllocation.RelayTransport.UDP,
					options)) {
				result("nat-core: allocate, UDP relay over UDP, " + when, start);
			}
			start = System.nanoTime();
			try (TurnAllocation allocation = TurnAllocation.allocate(tcp, credentials, TurnAllocation.RelayTransport.TCP,
					options)) {
				result("nat-core: allocate, TCP relay over TCP, " + when, start);
			}
			start = System.nanoTime();
			TurnReachabilityProbe.Outcome outcome = probe.check(endpoint, true);
			if (outcome.status() != dev.natboot.core.reachability.ReachabilityStatus.REACHABLE) {
				throw new IllegalStateException("check failed: " + outcome);
			}
			result("nat-core: check from outside (HTTP), " + when, start);
		}
	}

	private static void result(String label, long start) {
		System.out.printf("RESULT %s\t%.2f%n", label, (System.nanoTime() - start) / 1e6);
	}

}
