package dev.natboot.spring.ice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import dev.natboot.core.NatException;
import dev.natboot.core.ice.IceAgent;
import dev.natboot.core.ice.IceAgentBuilder;
import dev.natboot.core.ice.IceAgentListener;
import dev.natboot.core.ice.IceDescription;
import dev.natboot.core.ice.IceException;
import dev.natboot.core.ice.IcePortMapper;
import dev.natboot.core.ice.IceRole;
import dev.natboot.core.ice.IceSelectedPair;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Creates ICE agents for peer-to-peer connections, configured the application's way: STUN and TURN servers from
 * {@code nat.stun.*} and {@code nat.turn.*}, timers and local addresses from {@code nat.ice.*}, port-mapped
 * candidates from the mapping engine. Every agent shares one event loop thread; what they come to is published
 * as {@link IceConnectedEvent} and {@link IceFailedEvent} (on natboot's events thread, never the loop's) and
 * counted for the meters and the {@code nat} endpoint. Agents still open when the context closes are closed.
 *
 * <pre>
 * IceAgent agent = iceAgents.create(IceRole.CONTROLLING);
 * String offer = agent.gather().join().toSdp();              // to the peer, over the app's own API
 * IceConnection connection = agent.connect(IceDescription.parse(answer), iceAgents.connectTimeout()).join();
 * </pre>
 */
public class IceAgents implements DisposableBean {

	private static final Log logger = LogFactory.getLog(IceAgents.class);

	private final IceAgentSettings settings;

	private final ApplicationEventPublisher publisher;

	private final @Nullable IcePortMapper portMapper;

	private final NatEventLoop loop = NatEventLoop.open("natboot-ice");

	private final ExecutorService events;

	private final Set<IceAgent> open = ConcurrentHashMap.newKeySet();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final AtomicLong connected = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile @Nullable Outcome last;

	private volatile @Nullable String lastFailure;

	/**
	 * @param settings what every agent is built with
	 * @param publisher where the events go
	 * @param portMapper maps each agent's socket on the router, {@code null} for no port-mapped candidates
	 * @param eventThreads the thread events are published on
	 */
	public IceAgents(IceAgentSettings settings, ApplicationEventPublisher publisher, @Nullable IcePortMapper portMapper,
			ThreadFactory eventThreads) {
		this.settings = settings;
		this.publisher = publisher;
		this.portMapper = portMapper;
		this.events = Executors.newSingleThreadExecutor(eventThreads);
	}

	/**
	 * A new agent in the controlling role: the side that sends its description first.
	 * @return the agent, which the caller closes
	 */
	public IceAgent create() {
		return create(IceRole.CONTROLLING);
	}

	/**
	 * A new agent.
	 * @param role the role to start in (a conflict is settled if both sides chose the same)
	 * @return the agent, which the caller closes
	 */
	public IceAgent create(IceRole role) {
		Reporter reporter = new Reporter();
		IceAgent agent = configured(role, reporter).build();
		reporter.agent = agent;
		this.open.removeIf(IceAgent::isClosed);
		this.open.add(agent);
		return agent;
	}

	/**
	 * A builder with this application's settings, for an agent with something of its own (another TURN server,
	 * a fixed port); its agent is neither counted nor closed with the context.
	 * @param role the role to start in
	 * @return the builder
	 */
	public IceAgentBuilder builder(IceRole role) {
		return configured(role, new Reporter());
	}

	private IceAgentBuilder configured(IceRole role, Reporter reporter) {
		IceAgentBuilder builder = IceAgent.builder().eventLoop(this.loop).role(role)
			.localAddresses(this.settings.localAddresses()).localPort(this.settings.localPort())
			.pacing(this.settings.pacing()).nominationDelay(this.settings.nominationDelay())
			.consent(this.settings.consentInterval(), this.settings.consentTimeout())
			.checkRateLimit(this.settings.checkRateLimit())
			.transports(this.settings.transports().toArray(dev.natboot.core.Transport[]::new));
		for (StunServer server : this.settings.stunServers()) {
			try {
				builder.stunServer(server.resolve());
			}
			catch (NatException ex) {
				logger.warn("ICE: STUN server " + server + " skipped: " + ex.getMessage());
			}
		}
		TurnCredentials credentials = this.settings.turnCredentials();
		if (credentials != null) {
			for (TurnServer server : this.settings.turnServers()) {
				builder.turnServer(server, credentials, TurnOptions.defaults().withTimeout(Duration.ofSeconds(3)));
			}
		}
		if (this.portMapper != null) {
			builder.portMapper(this.portMapper);
		}
		return builder.listener(reporter);
	}

	/**
	 * The timeout for {@link IceAgent#connect} that {@code nat.ice.connect-timeout} sets.
	 * @return the timeout
	 */
	public Duration connectTimeout() {
		return this.settings.connectTimeout();
	}

	public IceAgentSettings settings() {
		return this.settings;
	}

	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	public IceStatistics statistics() {
		// an agent that failed closes right after it said so (a restart that failed leaves it open)
		this.open.removeIf(IceAgent::isClosed);
		Outcome outcome = this.last;
		return new IceStatistics(this.open.size(), this.connected.get(), this.failed.get(),
				(outcome != null) ? outcome.pair() : null, (outcome != null) ? outcome.at() : null,
				(outcome != null) ? outcome.took().toMillis() : 0, this.lastFailure);
	}

	@Override
	public void destroy() {
		this.open.forEach(IceAgent::close);
		this.open.clear();
		// The closes run on the loop (relays deleted, mappings released): let them before the loop stops.
		java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
		try {
			if (this.loop.isStarted()) {
				this.loop.execute(closed::countDown);
				closed.await(2, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			// closed already
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.loop.close();
		this.events.shutdown();
	}

	private void publish(Runnable delivery) {
		try {
			this.events.execute(delivery);
		}
		catch (RejectedExecutionException ex) {
			// the context is closing
		}
	}

	/** Hears what the agents come to, on natboot's events thread: the meters' way in. */
	public interface Listener {

		default void connected(IceSelectedPair pair, Duration took) {
		}

		default void failed(IceException failure, Duration took) {
		}

	}

	private record Outcome(IceSelectedPair pair, Instant at, Duration took) {
	}

	/** One per agent: times its checks and reports how they ended. */
	private final class Reporter implements IceAgentListener {

		private volatile long checkingSince = System.nanoTime();

		private volatile @Nullable IceAgent agent;

		@Override
		public void checkingStarted(IceDescription remote) {
			this.checkingSince = System.nanoTime();
		}

		@Override
		public void connected(IceSelectedPair pair) {
			Duration took = Duration.ofNanos(System.nanoTime() - this.checkingSince);
			IceAgents.this.connected.incrementAndGet();
			IceAgents.this.last = new Outcome(pair, Instant.now(), took);
			publish(() -> {
				IceAgents.this.listeners.forEach((listener) -> listener.connected(pair, took));
				IceAgents.this.publisher.publishEvent(new IceConnectedEvent(IceAgents.this, pair, took));
			});
		}

		@Override
		public void failed(IceException failure) {
			if (failure.reason() == IceException.Reason.CLOSED) {
				IceAgent closing = this.agent;
				if (closing != null) {
					IceAgents.this.open.remove(closing);
				}
				return;
			}
			Duration took = Duration.ofNanos(System.nanoTime() - this.checkingSince);
			IceAgents.this.failed.incrementAndGet();
			IceAgents.this.lastFailure = failure.reason() + ": " + failure.getMessage();
			publish(() -> {
				IceAgents.this.listeners.forEach((listener) -> listener.failed(failure, took));
				IceAgents.this.publisher.publishEvent(
						new IceFailedEvent(IceAgents.this, failure.reason(), String.valueOf(failure.getMessage())));
			});
		}

	}

}
