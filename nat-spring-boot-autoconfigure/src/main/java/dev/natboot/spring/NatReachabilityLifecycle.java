package dev.natboot.spring;

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

	private volatile boolean running;

	private volatile boolean listenersAttached;

	public NatReachabilityLifecycle(ReachabilityMonitor monitor, ObjectProvider<ReachabilityListener> listeners) {
		this.monitor = monitor;
		this.listeners = listeners;
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

	/**
	 * Stops checking until the next start: nothing waits for a check under way (it ends within its timeouts on its
	 * daemon thread); the monitor's thread ends when the context closes and destroys it.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.monitor.stop();
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
