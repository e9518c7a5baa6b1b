package dev.natboot.spring.metrics;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.core.reachability.ReachabilityListener;
import dev.natboot.core.reachability.ReachabilityMonitor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the checks from outside: {@code nat.mapping.reachable} (1 REACHABLE, 0 UNREACHABLE, NaN otherwise)
 * for every TCP mapping from its first check until it is removed, and {@code nat.reachability.checks}, a timer
 * of the checks by status. Tags: the mapping's name (from configuration) and the status (a closed set).
 */
public class NatReachabilityMetrics implements MeterBinder, ReachabilityListener {

	static final String REACHABLE = "nat.mapping.reachable";

	static final String CHECKS = "nat.reachability.checks";

	private final MappingEngine engine;

	private final ReachabilityMonitor monitor;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	public NatReachabilityMetrics(MappingEngine engine, ReachabilityMonitor monitor) {
		this.engine = engine;
		this.monitor = monitor;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		boolean first = this.registries.isEmpty();
		this.registries.add(registry);
		this.gauged.forEach((name) -> registerGauge(registry, name));
		if (first) {
			// Added here rather than as a listener bean: the engine takes those when it is built, and this needs it.
			this.engine.addListener(new MappingListener() {

				@Override
				public void mappingRemoved(Mapping mapping) {
					removeGauge(mapping.name());
				}

			});
		}
	}

	@Override
	public void checked(Mapping mapping, Reachability result) {
		if (this.gauged.add(mapping.name())) {
			this.registries.forEach((registry) -> registerGauge(registry, mapping.name()));
		}
		if (result.took() != null) {
			for (MeterRegistry registry : this.registries) {
				Timer.builder(CHECKS)
					.description("Checks of a mapping from outside through a TURN server, by what they found")
					.tag("mapping", mapping.name())
					.tag("status", NatMetrics.tagValue(result.status()))
					.register(registry)
					.record(result.took());
			}
		}
	}

	@Override
	public void reachabilityChanged(Mapping mapping, Reachability previous, Reachability current) {
	}

	private void registerGauge(MeterRegistry registry, String name) {
		Gauge.builder(REACHABLE, this, (metrics) -> metrics.value(name))
			.description("1 when the last check from outside reached the mapping, 0 when it did not, NaN when it was "
					+ "not checked or the check failed")
			.tag("mapping", name)
			.strongReference(true)
			.register(registry);
	}

	private void removeGauge(String name) {
		if (this.gauged.remove(name)) {
			for (MeterRegistry registry : this.registries) {
				for (Meter meter : registry.find(REACHABLE).tag("mapping", name).meters()) {
					registry.remove(meter);
				}
			}
		}
	}

	private double value(String name) {
		return this.engine.mapping(name)
			.filter((mapping) -> mapping.spec().transport() == Transport.TCP)
			.map(this.monitor::reachability)
			.map((reachability) -> switch (reachability.status()) {
				case REACHABLE -> 1.0;
				case UNREACHABLE -> 0.0;
				default -> Double.NaN;
			})
			.orElse(Double.NaN);
	}

}
