package dev.natboot.spring.event;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.natboot.core.NatException;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.core.reachability.ReachabilityListener;
import dev.natboot.core.mapping.StunObservation;
import dev.natboot.spring.NatMappingLifecycle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Turns what the engine reports into Spring {@link ApplicationEvent}s, so {@code @EventListener} methods hear
 * them. Events are published in order on a thread of their own that exists only while events are pending: a
 * slow listener delays other events, never the engine's renewals. At shutdown, right after the mappings are
 * released, pending events (the removals) are delivered before the context goes on closing, within the
 * shutdown timeout. What the engine reports while the context is still starting (a STUN check that ends before
 * the last bean is created) is held until the context has started: {@code @EventListener} methods are registered
 * only once every bean exists, and would miss it.
 */
public class NatEventPublisher implements MappingListener, ReachabilityListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(NatEventPublisher.class);

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<MappingEngine> engine;

	private final Duration shutdownTimeout;

	private final ThreadPoolExecutor executor;

	/** More than a start can produce: a context that never finishes starting holds no more than this. */
	private static final int MAX_HELD = 1000;

	private volatile boolean running;

	/** Events reported before the context started, in order; {@code null} once it has. */
	private java.util.@Nullable List<Supplier<ApplicationEvent>> held = new java.util.ArrayList<>();

	/** More kinds of failure than any application has: past this, every failure is logged at DEBUG. */
	private static final int MAX_REPORTED_FAILURES = 1000;

	/** Which listener failed on which event type, so that a broken listener is logged once, not at every event. */
	private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

	public NatEventPublisher(ApplicationEventPublisher publisher,
			ObjectProvider<MappingEngine> engine, Duration shutdownTimeout) {
		this(publisher, engine, shutdownTimeout, (task) -> {
			Thread thread = new Thread(task, "nat-events");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Creates a publisher whose events go out on threads of the given factory, one at a time and in order.
	 * @param publisher where events go
	 * @param engine the engine, the events' source
	 * @param shutdownTimeout longest wait at stop for the pending events
	 * @param threads makes the thread that publishes (a virtual thread with {@code spring.threads.virtual.enabled})
	 */
	public NatEventPublisher(ApplicationEventPublisher publisher, ObjectProvider<MappingEngine> engine,
			Duration shutdownTimeout, ThreadFactory threads) {
		this.publisher = publisher;
		this.engine = engine;
		this.shutdownTimeout = shutdownTimeout;
		this.executor = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
	}

	@Override
	public void mappingCreated(Mapping mapping) {
		publish(() -> new MappingCreatedEvent(source(), mapping));
	}

	@Override
	public void mappingRenewed(Mapping mapping) {
		publish(() -> new MappingRenewedEvent(source(), mapping));
	}

	@Override
	public void mappingChanged(Mapping previous, Mapping current) {
		publish(() -> new MappingChangedEvent(source(), previous, current));
	}

	@Override
	public void reachabilityChanged(Mapping mapping, Reachability previous, Reachability current) {
		publish(() -> new MappingReachabilityChangedEvent(source(), mapping, previous, current));
	}

	@Override
	public void mappingLost(Mapping mapping) {
		publish(() -> new MappingLostEvent(source(), mapping));
	}

	@Override
	public void externalAddressChanged(InetAddress previous, InetAddress current) {
		publish(() -> new ExternalAddressChangedEvent(source(), previous, current));
	}

	@Override
	public void mappingFailed(Mapping mapping, NatException cause) {
		publish(() -> new MappingFailedEvent(source(), mapping, cause));
	}

	@Override
	public void mappingRemoved(Mapping mapping) {
		publish(() -> new MappingRemovedEvent(source(), mapping));
	}

	@Override
	public void stunChecked(@Nullable StunObservation previous, StunObservation current) {
		if (current.differsFrom(previous)) {
			publish(() -> new StunObservationChangedEvent(source(), previous, current));
		}
	}

	@Override
	public void behindAnotherNatChanged(GatewayInfo gateway) {
		publish(() -> new BehindAnotherNatEvent(source(), gateway));
	}

	/**
	 * Waits until every event reported so far has been published.
	 * @param timeout longest wait
	 * @return true if all were published in time
	 */
	public boolean flush(Duration timeout) {
		try {
			Future<?> marker = this.executor.submit(() -> {
			});
			marker.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (RejectedExecutionException | ExecutionException | TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Logs a listener's failure with its stack trace the first time that listener fails on that type of event,
	 * at DEBUG after.
	 */
	private void listenerFailed(ApplicationEvent event, RuntimeException failure) {
		String listener = failingListener(failure);
		String key = listener + "/" + event.getClass().getName();
		if (this.reportedFailures.size() < MAX_REPORTED_FAILURES && this.reportedFailures.add(key)) {
			logger.warn("A NAT event listener (" + listener + ") failed on " + event.getClass().getSimpleName()
					+ "; logged once, later failures of it on this event at DEBUG", failure);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("NAT event listener " + listener + " failed on " + event + ": " + failure);
		}
	}

	/**
	 * The listener that threw: the outermost frame of application code below the frame where Spring invoked
	 * it, so that a failure deep in a library the listener calls is still the listener's; without such a frame,
	 * the innermost frame of application code.
	 */
	static String failingListener(Throwable failure) {
		StackTraceElement[] frames = failure.getStackTrace();
		int invoker = -1;
		for (int i = 0; i < frames.length && invoker < 0; i++) {
			if (frames[i].getClassName().startsWith("org.springframework.context.event.")) {
				invoker = i;
			}
		}
		@Nullable String listener = null;
		if (invoker >= 0) {
			for (int i = invoker - 1; i >= 0 && listener == null; i--) {
				listener = applicationClass(frames[i]);
			}
		}
		for (int i = 0; i < frames.length && listener == null; i++) {
			listener = applicationClass(frames[i]);
		}
		return (listener != null) ? listener : failure.getClass().getName();
	}

	/** The frame's class without the suffix of a generated subclass, {@code null} for the JDK's and Spring's. */
	private static @Nullable String applicationClass(StackTraceElement frame) {
		String name = frame.getClassName();
		if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")
				|| name.startsWith("org.springframework.") || name.equals(NatEventPublisher.class.getName())
				|| name.startsWith(NatEventPublisher.class.getName() + "$")) {
			return null;
		}
		int generated = name.indexOf("$$");
		return (generated > 0) ? name.substring(0, generated) : name;
	}

	@Override
	public void start() {
		java.util.List<Supplier<ApplicationEvent>> early;
		synchronized (this) {
			early = this.held;
			this.held = null;
		}
		if (early != null) {
			early.forEach(this::submit);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (!flush(this.shutdownTimeout)) {
			logger.debug("Not every NAT event was published before shutdown");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Just after {@link NatMappingLifecycle}: stops once the mappings are released, so their removal events are
	 * delivered while the context is still open.
	 */
	@Override
	public int getPhase() {
		return NatMappingLifecycle.PHASE - 1;
	}

	private MappingEngine source() {
		return this.engine.getObject();
	}

	private void publish(Supplier<ApplicationEvent> event) {
		synchronized (this) {
			if (this.held != null) {
				if (this.held.size() < MAX_HELD) {
					this.held.add(event);
				}
				return;
			}
		}
		submit(event);
	}

	private void submit(Supplier<ApplicationEvent> event) {
		try {
			this.executor.execute(() -> {
				ApplicationEvent published = event.get();
				try {
					this.publisher.publishEvent(published);
				}
				catch (RuntimeException ex) {
					// A listener's failure is the listener's; the engine and later events go on.
					listenerFailed(published, ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("NAT event dropped after shutdown");
		}
	}

}
