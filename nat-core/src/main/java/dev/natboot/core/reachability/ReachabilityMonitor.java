package dev.natboot.core.reachability;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.AddressScope;
import dev.natboot.core.IpLiteral;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;

/**
 * Checks an engine's TCP mappings from outside, after each is created or changed and then every check interval,
 * one check at a time on a daemon thread of its own ({@code nat-reachability}), and keeps what each found. An
 * UNREACHABLE result gets the likely reason: another NAT in front of the router (its external address is not
 * public, or STUN sees another one), or else a router that says yes and forwards nothing, or a filter upstream.
 * UDP mappings stay UNVERIFIED unless their application answers natboot's probes ({@link UdpProbe}): nothing
 * outside can tell otherwise that a datagram reached it.
 */
public final class ReachabilityMonitor implements AutoCloseable {

	static final String NOT_CHECKED_YET = "not checked from outside yet";

	static final String UDP_NOT_CHECKED = "UDP mappings are checked from outside only when the application answers "
			+ "natboot's probes (UdpProbe; nat.mappings.NAME.answers-probes=true)";

	private final MappingEngine engine;

	private final TurnReachabilityProbe probe;

	private final Duration checkInterval;

	private final Predicate<Mapping> answersHttp;

	private final Predicate<Mapping> answersProbes;

	private final Clock clock;

	private final Map<String, Reachability> results = new ConcurrentHashMap<>();

	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final List<ReachabilityListener> listeners = new CopyOnWriteArrayList<>();

	private final ScheduledThreadPoolExecutor executor;

	private volatile boolean closed;

	private final java.util.concurrent.atomic.AtomicBoolean scheduled = new java.util.concurrent.atomic.AtomicBoolean();

	/** The periodic checks, once scheduled. */
	private volatile java.util.concurrent.@Nullable ScheduledFuture<?> periodic;

	/** Between {@link #stop} and the next {@link #start}: nothing is checked. */
	private volatile boolean stopped = true;

	/** Not the monitor itself: a monitor bean must not look like a listener to be attached to its own engine. */
	private final MappingListener engineListener = new MappingListener() {

		@Override
		public void mappingCreated(Mapping mapping) {
			request(mapping);
		}

		@Override
		public void mappingChanged(Mapping previous, Mapping current) {
			request(current);
		}

		@Override
		public void mappingLost(Mapping mapping) {
			record(mapping, Reachability.unverified("the router lost the mapping"), false);
		}

		@Override
		public void mappingRemoved(Mapping mapping) {
			ReachabilityMonitor.this.results.remove(mapping.name());
		}

	};

	/**
	 * A monitor; {@link #start()} it once the engine runs.
	 * @param engine the engine whose mappings are checked; the monitor listens to it from {@link #start()}
	 * @param probe how to check
	 * @param checkInterval how often each TCP mapping is checked again
	 * @param answersHttp which mappings must answer HTTP (the web server's)
	 * @param clock for {@link Reachability#checkedAt()}
	 */
	public ReachabilityMonitor(MappingEngine engine, TurnReachabilityProbe probe, Duration checkInterval,
			Predicate<Mapping> answersHttp, Clock clock) {
		this(engine, probe, checkInterval, answersHttp, (mapping) -> false, clock);
	}

	/**
	 * A monitor that also checks UDP mappings whose application answers natboot's probes ({@link UdpProbe}).
	 * @param engine the engine whose mappings are checked
	 * @param probe how to check
	 * @param checkInterval how often each mapping is checked again
	 * @param answersHttp which TCP mappings must answer HTTP (the web server's)
	 * @param answersProbes which UDP mappings answer natboot's probes; the others stay UNVERIFIED
	 * @param clock for {@link Reachability#checkedAt()}
	 */
	public ReachabilityMonitor(MappingEngine engine, TurnReachabilityProbe probe, Duration checkInterval,
			Predicate<Mapping> answersHttp, Predicate<Mapping> answersProbes, Clock clock) {
		if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("A reachability check interval is at least 1 s: " + checkInterval);
		}
		this.engine = engine;
		this.probe = probe;
		this.checkInterval = checkInterval;
		this.answersHttp = answersHttp;
		this.answersProbes = answersProbes;
		this.clock = clock;
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "nat-reachability");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
	}

	public void addListener(ReachabilityListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Starts listening to the engine and checks what it holds already. The checking thread and the periodic
	 * checks start with the first mapping to check: an engine that maps nothing (skipped in tests) costs nothing.
	 */
	public void start() {
		if (this.closed || !this.stopped) {
			return;
		}
		this.stopped = false;
		this.engine.addListener(this.engineListener);
		this.engine.mappings().forEach(this::request);
	}

	/**
	 * Stops checking until the next {@link #start()} (a context stopped and started again): no new check, the
	 * periodic ones cancelled; a check under way ends on its own within its timeouts.
	 */
	public void stop() {
		this.stopped = true;
		this.engine.removeListener(this.engineListener);
		java.util.concurrent.ScheduledFuture<?> periodic = this.periodic;
		if (periodic != null) {
			periodic.cancel(false);
		}
		this.scheduled.set(false);
		this.executor.getQueue().clear();
		this.pending.clear();
	}

	/**
	 * What the last check of a mapping found.
	 * @param mapping the mapping
	 * @return the result, UNVERIFIED with the reason when there is none
	 */
	public Reachability reachability(Mapping mapping) {
		if (!isChecked(mapping)) {
			return Reachability.unverified(UDP_NOT_CHECKED);
		}
		return this.results.getOrDefault(mapping.name(), Reachability.unverified(NOT_CHECKED_YET));
	}

	private void request(Mapping mapping) {
		if (this.closed || this.stopped || !isChecked(mapping) || !mapping.isActive()
				|| mapping.externalEndpoint() == null || !this.pending.add(mapping.name())) {
			return;
		}
		try {
			if (this.scheduled.compareAndSet(false, true)) {
				long interval = this.checkInterval.toMillis();
				this.periodic = this.executor.scheduleWithFixedDelay(() -> this.engine.mappings().forEach(this::request),
						interval, interval, TimeUnit.MILLISECONDS);
			}
			this.executor.execute(() -> {
				this.pending.remove(mapping.name());
				this.engine.mapping(mapping.name()).filter(Mapping::isActive).ifPresent(this::check);
			});
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			this.pending.remove(mapping.name());
		}
	}

	private void check(Mapping mapping) {
		InetSocketAddress endpoint = mapping.externalEndpoint();
		if (endpoint == null || this.closed) {
			return;
		}
		String text = IpLiteral.endpoint(endpoint.getAddress(), endpoint.getPort());
		AddressScope scope = AddressScope.of(endpoint.getAddress());
		if (!scope.isReachableFromInternet()) {
			// No server on the internet can connect to a private or shared address: nothing to ask.
			record(mapping, new Reachability(ReachabilityStatus.UNREACHABLE, this.clock.instant(), null,
					notPublic(endpoint.getAddress(), scope), Duration.ZERO, text), true);
			return;
		}
		long start = System.nanoTime();
		TurnReachabilityProbe.Outcome outcome = (mapping.spec().transport() == Transport.TCP)
				? this.probe.check(endpoint, this.answersHttp.test(mapping)) : this.probe.checkUdp(endpoint);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		String reason = switch (outcome.status()) {
			case REACHABLE -> null;
			case UNREACHABLE -> likelyReason(mapping, outcome.seenAs()) + " (" + outcome.detail() + ")";
			default -> outcome.detail();
		};
		record(mapping, new Reachability(outcome.status(), this.clock.instant(), outcome.via(), reason, took, text),
				true);
	}

	private boolean isChecked(Mapping mapping) {
		return mapping.spec().transport() == Transport.TCP || this.answersProbes.test(mapping);
	}

	private static String notPublic(InetAddress external, AddressScope scope) {
		return "another NAT sits in front of the router: its external address " + external.getHostAddress() + " is "
				+ scope.name().toLowerCase(java.util.Locale.ROOT) + " (carrier-grade NAT, or a second router)";
	}

	/**
	 * Why a mapping the router granted on a public address cannot be reached, from what the engine and the TURN
	 * server know of the network.
	 */
	String likelyReason(Mapping mapping, @Nullable InetAddress seenByTurn) {
		if (mapping.spec().family() == java.net.StandardProtocolFamily.INET6) {
			return likelyIpv6Reason(mapping, seenByTurn);
		}
		GatewayInfo gateway = this.engine.gatewayInfo();
		InetAddress external = mapping.externalAddress();
		InetAddress seen = (seenByTurn != null) ? seenByTurn : gateway.stunAddress();
		if (seen != null && external != null && !seen.equals(external)) {
			return "another NAT sits in front of the router: the internet sees this host at " + seen.getHostAddress()
					+ ", the router says " + external.getHostAddress();
		}
		return "the router accepted the mapping but nothing came through: a filter upstream (the ISP), or a router "
				+ "that does not forward";
	}

	private String likelyIpv6Reason(Mapping mapping, @Nullable InetAddress seenByTurn) {
		InetAddress own = mapping.externalAddress();
		InetAddress seen = (seenByTurn != null) ? seenByTurn
				: this.engine.ipv6StunObservation().map(dev.natboot.core.mapping.StunObservation::publicAddress)
					.orElse(null);
		if (seen != null && own != null && !seen.equals(own)) {
			return "a prefix translation (NPTv6) or NAT66 sits in front of the router: the internet sees this host at "
					+ IpLiteral.format(seen) + ", the pinhole is for " + IpLiteral.format(own);
		}
		return "the router accepted the pinhole but nothing came through: a firewall upstream (the ISP's, or a "
				+ "second one in front of the router), or a router that does not open it";
	}

	private void record(Mapping mapping, Reachability current, boolean checked) {
		Reachability previous = this.results.put(mapping.name(), current);
		if (previous == null) {
			previous = Reachability.unverified(NOT_CHECKED_YET);
		}
		for (ReachabilityListener listener : this.listeners) {
			try {
				if (checked) {
					listener.checked(mapping, current);
				}
				if (current.differsFrom(previous)) {
					listener.reachabilityChanged(mapping, previous, current);
				}
			}
			catch (RuntimeException ex) {
				// A listener's failure is its own: the next listener and the next check go on.
			}
		}
	}

	/**
	 * Stops checking for good and ends the checking thread; a check under way is abandoned (its allocation
	 * expires on the server).
	 * @param timeout how long to wait for the checking thread to end
	 */
	public void close(Duration timeout) {
		this.closed = true;
		this.stopped = true;
		this.engine.removeListener(this.engineListener);
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(1));
	}

}
