package dev.natboot.spring;

import java.time.Duration;

import dev.natboot.core.reachability.ReachabilityListener;
import dev.natboot.core.reachability.ReachabilityMonitor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the checks from outside with the context, after natboot's listeners and the application's
 * {@link ReachabilityListener} beans are attached, and stops them before the mappings are released.
 */
public class NatReachabilityLifecycle implements SmartLifecycle {

	private final ReachabilityMonitor monitor;

	private final ObjectProvider<ReachabilityListener> listeners;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	private volatile boolean listenersAttached;

	public NatReachabilityLifecycle(ReachabilityMonitor monitor, ObjectProvider<ReachabilityListener> listeners,
			Duration shutdownTimeout) {
		this.monitor = monitor;
		this.listeners = listeners;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		if (!this.listenersAttached) {
			this.listeners.orderedStream().forEach(this.monitor::addListener);
			this.listenersAttached = true;
		}
		this.monitor.start();
		this.running = true;
	}

	/** Stops checking (a check under way is abandoned), bounded by the shutdown timeout. */
	@Override
	public void stop() {
		this.running = false;
		this.monitor.close(this.shutdownTimeout);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops before {@link NatMappingLifecycle} releases the mappings: nothing checks a mapping being released. */
	@Override
	public int getPhase() {
		return NatMappingLifecycle.PHASE + 1;
	}

}
