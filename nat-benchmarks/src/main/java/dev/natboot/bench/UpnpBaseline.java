package dev.natboot.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingSpec;
import org.bitlet.weupnp.GatewayDevice;
import org.bitlet.weupnp.GatewayDiscover;

/**
 * UPnP "discover the router and add a mapping", timed from the start of the round to the router's
 * confirmation, with natboot's engine or with weupnp 0.1.4 (the baseline users know), several rounds in one
 * JVM: the first round pays the JVM's cold start (class loading, lambda and string-concatenation bootstrap,
 * XML parser), later rounds show the library itself. Each round starts from nothing (a new engine, a new
 * discovery) and deletes its mapping. Run by scripts/benchmark.sh on the lab's LAN host; prints
 * {@code RESULT <library> <round> <milliseconds>}.
 */
public final class UpnpBaseline {

	private UpnpBaseline() {
	}

	public static void main(String[] args) throws Exception {
		String library = args[0];
		int rounds = Integer.parseInt(args[1]);
		String gateway = args[2];
		for (int round = 1; round <= rounds; round++) {
			long start = System.nanoTime();
			int port = 8080 + round;
			if (library.equals("natboot")) {
				natboot(port, gateway, start, round);
			}
			else {
				weupnp(port, start, round);
			}
		}
	}

	private static void natboot(int port, String gateway, long start, int round) throws InterruptedException {
		CountDownLatch mapped = new CountDownLatch(1);
		AtomicReference<Mapping> result = new AtomicReference<>();
		try (MappingEngine engine = MappingEngine.builder().mode(NatMode.of("upnp:" + gateway)).listener(new MappingListener() {
			@Override
			public void mappingCreated(Mapping mapping) {
				result.set(mapping);
				mapped.countDown();
			}
		}).build()) {
			engine.add(new MappingSpec("bench", Transport.TCP, port, 0, Duration.ofMinutes(2), "natboot bench"));
			if (!mapped.await(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("natboot did not map: " + engine.mappings());
			}
			report("natboot", round, start);
		}
	}

	private static void weupnp(int port, long start, int round) throws Exception {
		GatewayDiscover discover = new GatewayDiscover();
		discover.discover();
		GatewayDevice device = discover.getValidGateway();
		if (device == null || !device.addPortMapping(port, port, device.getLocalAddress().getHostAddress(), "TCP",
				"weupnp bench")) {
			throw new IllegalStateException("weupnp did not map");
		}
		report("weupnp", round, start);
		device.deletePortMapping(port, "TCP");
	}

	private static void report(String library, int round, long start) {
		System.out.printf("RESULT %s %d %.1f%n", library, round, (System.nanoTime() - start) / 1e6);
	}

}
