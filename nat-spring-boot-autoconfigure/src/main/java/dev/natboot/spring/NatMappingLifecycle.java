package dev.natboot.spring;

import java.time.Duration;
import java.util.List;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.mapping.MappingState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Releases every mapping at shutdown, before the web server's graceful shutdown begins, so the router stops
 * sending new connections while in-flight requests finish. Bounded by the shutdown timeout even when the
 * router has vanished.
 */
public class NatMappingLifecycle implements SmartLifecycle {

	/**
	 * Above {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE} (default phase - 1024), so this stops
	 * first; not referenced directly because web server classes are optional.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(NatMappingLifecycle.class);

	private final MappingEngine engine;

	private final Duration shutdownTimeout;

	private final List<MappingSpec> extraMappings;

	private final boolean stunChecks;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param engine the engine
	 * @param shutdownTimeout longest wait for the router at stop
	 * @param extraMappings mappings configured besides the web server's, mapped at start
	 * @param stunChecks whether STUN servers are configured, so that checks start even with nothing mapped
	 */
	public NatMappingLifecycle(MappingEngine engine, Duration shutdownTimeout, List<MappingSpec> extraMappings,
			boolean stunChecks) {
		this.engine = engine;
		this.shutdownTimeout = shutdownTimeout;
		this.extraMappings = List.copyOf(extraMappings);
		this.stunChecks = stunChecks;
	}

	/**
	 * Maps the configured extra ports (on the engine's thread: this returns at once); after a stop, maps them
	 * again. An application with nothing to map and no STUN server to ask sends nothing.
	 */
	@Override
	public void start() {
		if (!this.extraMappings.isEmpty() || this.stunChecks) {
			this.engine.discover();
		}
		for (MappingSpec spec : this.extraMappings) {
			if (this.engine.mapping(spec.name()).isPresent()) {
				this.engine.remap(spec.name());
			}
			else {
				this.engine.add(spec);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (!this.engine.release(this.shutdownTimeout)) {
			long unconfirmed = this.engine.mappings()
				.stream()
				.filter((mapping) -> mapping.state() == MappingState.RELEASING)
				.count();
			logger.warn("Router did not confirm the release of every mapping within "
					+ this.shutdownTimeout.toMillis() + " ms (" + unconfirmed
					+ " unconfirmed); they expire with their lease");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
