package dev.natboot.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingSpec;

/**
 * What the engine costs the application with N mappings: the threads it adds, the heap it retains (used heap
 * after full collections, with all mappings active, minus the same before the engine existed), and the CPU its
 * thread spends per renewal over a window of short leases. Against {@link PcpResponder} on the loopback of the
 * lab's LAN host, so that the figures are the client's. Prints {@code RESULT <name> <mappings> <value>} lines.
 *
 * <pre>java dev.natboot.bench.Footprint MAPPINGS LEASE_SECONDS WINDOW_SECONDS</pre>
 */
public final class Footprint {

	private static final String ENGINE_THREAD = "nat-engine";

	private Footprint() {
	}

	public static void main(String[] args) throws Exception {
		int count = Integer.parseInt(args[0]);
		Duration lease = Duration.ofSeconds(Long.parseLong(args[1]));
		Duration window = Duration.ofSeconds(Long.parseLong(args[2]));
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		try (PcpResponder router = new PcpResponder(InetAddress.getLoopbackAddress(),
				InetAddress.getByName("203.0.113.5"))) {
			Set<Long> before = threadIds(threads);
			long heapBefore = retainedHeap();
			AtomicLong renewals = new AtomicLong();
			long started = System.nanoTime();
			MappingEngine engine = MappingEngine.builder()
				.mode(NatMode.of("pcp:127.0.0.1:" + router.address().getPort()))
				.verificationInterval(lease)
				.listener(new MappingListener() {
					@Override
					public void mappingRenewed(Mapping mapping) {
						renewals.incrementAndGet();
					}
				})
				.build();
			for (int i = 0; i < count; i++) {
				engine.add(new MappingSpec("m" + i, (i % 2 == 0) ? Transport.UDP : Transport.TCP, 20000 + i, 0, lease,
						"footprint"));
			}
			while (engine.mappings().stream().filter(Mapping::isActive).count() < count) {
				if (System.nanoTime() - started > Duration.ofMinutes(2).toNanos()) {
					throw new IllegalStateException("Not all mappings active: " + engine.mappings().stream()
						.filter((mapping) -> !mapping.isActive()).limit(3).toList());
				}
				Thread.sleep(5);
			}
			report("all-active-ms", count, (System.nanoTime() - started) / 1e6);
			Thread.sleep(1000); // idle: the confirmations delivered, nothing due for a while
			long heapAfter = retainedHeap();
			Set<Long> added = threadIds(threads);
			added.removeAll(before);
			report("threads-idle", count, added.size());
			report("retained-heap-kb", count, (heapAfter - heapBefore) / 1024.0);
			System.out.println("THREADS " + Arrays.stream(threads.getThreadInfo(added.stream().mapToLong(Long::longValue)
				.toArray())).filter((info) -> info != null).map((info) -> info.getThreadName()).toList());
			long engineThread = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
				.filter((info) -> info != null && info.getThreadName().equals(ENGINE_THREAD))
				.findFirst()
				.orElseThrow()
				.getThreadId();
			long cpuStart = threads.getThreadCpuTime(engineThread);
			long renewalsStart = renewals.get();
			Thread.sleep(window.toMillis());
			long cpu = threads.getThreadCpuTime(engineThread) - cpuStart;
			long renewed = renewals.get() - renewalsStart;
			report("renewals", count, renewed);
			report("cpu-percent", count, 100.0 * cpu / window.toNanos());
			report("cpu-us-per-renewal", count, (renewed > 0) ? cpu / 1e3 / renewed : Double.NaN);
			engine.close();
		}
	}

	/** Used heap after full collections, once it stops falling. */
	private static long retainedHeap() throws InterruptedException {
		long previous = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(100);
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (used >= previous) {
				return Math.min(used, previous);
			}
			previous = used;
		}
		return previous;
	}

	private static Set<Long> threadIds(ThreadMXBean threads) {
		return Arrays.stream(threads.getAllThreadIds()).boxed().collect(Collectors.toSet());
	}

	private static void report(String name, int mappings, double value) {
		System.out.printf("RESULT %s %d %.3f%n", name, mappings, value);
	}

}
