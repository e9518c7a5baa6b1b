package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.natboot.core.NatMode;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunServer;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the wanted port mappings alive on the gateway: maps each one, renews it at a random point between
 * 1/2 and 5/8 of the lifetime the router granted, retries with capped exponential backoff when the router
 * fails, and releases everything on close. Thread-safe: every protocol operation runs on one private daemon
 * thread, which starts with the first mapping; callers never wait for the network except in
 * {@link #close(Duration)}, which is bounded.
 */
public final class MappingEngine implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(MappingEngine.class.getName());

	private final NatMode mode;

	/** Why the engine is inert, {@code null} when it works. */
	private final @Nullable String inactiveReason;

	/** Whether {@link #discover()} ran. */
	private final AtomicBoolean discovered = new AtomicBoolean();

	private final Clock clock;

	private final Duration shutdownTimeout;

	private final NatEventLoop loop;

	private final PortMapperSelector selector;

	private final Map<String, ManagedMapping> mappings = new ConcurrentHashMap<>();

	private final Listeners listeners = new Listeners();

	private final AtomicLong order = new AtomicLong();

	private volatile boolean closed;

	private final RouterStatus routerStatus;

	private final RouterAddress routerAddress;

	private final PermanentLeases permanentLeases;

	/** What the router says unasked; listens from the first mapping on. */
	private final RouterSignals signals;

	/** Asks the router for each mapping, renews, verifies, retries and releases it. */
	private final MappingRunner runner;

	/** IPv6 pinholes, in modes that open them. */
	private final @Nullable PinholeLane pinholes;

	/** What STUN servers see, when any is configured. */
	private final @Nullable StunMonitor stun;

	/** Bounds how often router signals, real or forged, make every mapping be mapped again. */
	private final RemapThrottle remapThrottle;

	private final SignalLog signalLog = new SignalLog(logger, SignalLog.WINDOW);

	private final IgnoredDatagrams ignored = new IgnoredDatagrams();

	private final RouterSignalCounts signalCounts = new RouterSignalCounts();

	MappingEngine(MappingEngineBuilder builder) {
		this.mode = builder.mode;
		this.inactiveReason = builder.inactiveReason;
		this.clock = builder.clock;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.loop = NatEventLoop.open(builder.threadName);
		StunServer modeServer = builder.mode.stunServer();
		List<StunServer> stunServers = (modeServer != null) ? List.of(modeServer) : builder.stunServers;
		this.stun = (stunServers.isEmpty() || this.inactiveReason != null) ? null
				: new StunMonitor(this.loop, stunServers, builder.stunTransport, builder.stunCheckInterval,
						builder.stunBehaviorDiscovery, builder.stunRetransmission, builder.clock, this::stunChecked);
		this.routerStatus = new RouterStatus(builder.mode, builder.clock, this.listeners, this::gatewayInfo);
		this.routerAddress = this.routerStatus.address();
		this.remapThrottle = new RemapThrottle(this.loop, builder.signalWindow, this::remapAll);
		this.permanentLeases = new PermanentLeases((builder.journal != null) ? new MappingJournal(builder.journal) : null);
		this.selector = new PortMapperSelector(builder.mode, builder.defaultRoutes, builder.networkInterface,
				builder.internalAddress, this.loop, builder.retransmission, builder.ssdpPort, this::routerLostState, this.stun,
				this.routerAddress, this.ignored, this.permanentLeases);
		this.signals = new RouterSignals(this.loop, this.selector, builder.mode, builder.announcementPort,
				builder.ssdpNotifyPort, builder.signalWindow, new SignalReactions(), this.ignored, this.signalCounts,
				this.signalLog);
		this.runner = new MappingRunner(StandardProtocolFamily.INET, this.mappings, this.loop, this.selector,
				this.permanentLeases, this.routerAddress, this.signals, this.stun, this.listeners, builder.clock,
				builder.renewalPolicy, builder.verificationInterval, new OutageLog(builder.warningPause));
		this.pinholes = (PinholeSelector.opensPinholes(builder.mode) && this.inactiveReason == null)
				? new PinholeLane(builder, this.loop, this.mappings, this.permanentLeases, this.listeners, this.ignored,
						builder.clock)
				: null;
		this.listeners.addAll(builder.listeners);
	}

	public static MappingEngineBuilder builder() {
		return new MappingEngineBuilder();
	}

	public NatMode mode() {
		return this.mode;
	}

	/**
	 * Why the engine is inert (see {@link MappingEngineBuilder#inactive(String)}).
	 * @return the reason, empty when the engine works
	 */
	public Optional<String> inactiveReason() {
		return Optional.ofNullable(this.inactiveReason);
	}

	/**
	 * Whether the engine maps anything: it is not inert and its mode is not {@code none}.
	 * @return true if it does
	 */
	public boolean isMapping() {
		return this.inactiveReason == null && this.mode.kind() != NatMode.Kind.NONE;
	}

	/**
	 * Tells a listener what happens from now on; a listener added twice is told once.
	 * @param listener the listener
	 */
	public void addListener(MappingListener listener) {
		this.listeners.add(Objects.requireNonNull(listener));
	}

	/**
	 * Stops telling a listener.
	 * @param listener the listener
	 */
	public void removeListener(MappingListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Finds the gateway and the protocol it speaks now, in the background, so that the first mapping costs one
	 * round trip, and starts the STUN checks when servers are configured. The probes change nothing on the
	 * router. Does nothing in modes that use no router, in an inert engine, and after the first call.
	 */
	public void discover() {
		if (this.closed || this.inactiveReason != null || !this.discovered.compareAndSet(false, true)) {
			return;
		}
		StunMonitor monitor = this.stun;
		if (monitor != null) {
			this.loop.execute(monitor::start);
		}
		if (!this.mode.kind().usesRouter()) {
			return;
		}
		this.loop.execute(() -> this.selector.select().exceptionally((failure) -> {
			logger.log(Level.DEBUG, () -> "Early gateway discovery failed: " + failure.getMessage());
			return null;
		}));
		// Joining the group takes 3-12 ms in a starting JVM: here, not in front of the first mapping request.
		this.loop.execute(this.signals::listenForAnnouncements);
	}

	/**
	 * Starts finding the IPv6 firewall in advance too, like {@link #discover()}, when this host could open
	 * pinholes ({@link #opensIpv6Pinholes()}): its PCP ANNOUNCE changes nothing, and the first pinhole is then
	 * one round trip.
	 */
	public void discoverIpv6() {
		PinholeLane lane = this.pinholes;
		if (this.closed || lane == null || !isMapping()) {
			return;
		}
		this.loop.execute(lane::discover);
	}

	/**
	 * Starts keeping a mapping alive. Returns at once; listeners hear how it goes.
	 * @param spec the mapping
	 * @throws IllegalArgumentException if a mapping of that name exists
	 * @throws IllegalStateException if the engine is closed
	 */
	public void add(MappingSpec spec) {
		if (this.closed) {
			throw new IllegalStateException("Mapping engine is closed");
		}
		if (spec.family() == StandardProtocolFamily.INET6 && this.pinholes == null && this.inactiveReason == null) {
			throw new IllegalArgumentException("Mapping '" + spec.name() + "' is an IPv6 pinhole, which mode "
					+ this.mode + " does not open");
		}
		boolean enabled = isMapping();
		ManagedMapping mapping = new ManagedMapping(spec, this.order.incrementAndGet(), this.clock.instant(),
				enabled ? MappingState.PENDING : MappingState.DISABLED);
		ManagedMapping existing = this.mappings.putIfAbsent(spec.name(), mapping);
		if (existing != null) {
			// A released mapping may be asked for again, as when a stopped context starts again.
			MappingState state = existing.snapshot().state();
			if ((state != MappingState.REMOVED && state != MappingState.ABANDONED)
					|| !this.mappings.replace(spec.name(), existing, mapping)) {
				throw new IllegalArgumentException("A mapping named '" + spec.name() + "' exists already");
			}
		}
		if (enabled) {
			this.loop.execute(() -> attempt(mapping));
		}
	}

	/**
	 * Whether IPv6 pinholes can be opened here: the mode opens them (any, pcp, upnp) and this host has a default
	 * IPv6 route and a stable global IPv6 address. Read once, during {@link #discoverIpv6()} when it ran; sends
	 * nothing.
	 * @return true if an IPv6 mapping may be added
	 */
	public boolean opensIpv6Pinholes() {
		return this.pinholes != null && isMapping() && this.pinholes.possible();
	}

	private void attempt(ManagedMapping mapping) {
		PinholeLane lane = laneOf(mapping);
		if (lane != null) {
			lane.attempt(mapping);
		}
		else {
			this.runner.attempt(mapping);
		}
	}

	private MappingRunner runnerOf(ManagedMapping mapping) {
		PinholeLane lane = laneOf(mapping);
		return (lane != null) ? lane.runner() : this.runner;
	}

	/** The pinholes' lane for an IPv6 mapping; {@code null} for an IPv4 one, which the engine's runner keeps. */
	private @Nullable PinholeLane laneOf(ManagedMapping mapping) {
		return (mapping.spec.family() == StandardProtocolFamily.INET6) ? this.pinholes : null;
	}

	/**
	 * Releases one mapping and forgets it.
	 * @param name the mapping's name
	 * @return completes when the router confirmed, or gave up; empty if there is no such mapping
	 */
	public Optional<CompletableFuture<Void>> remove(String name) {
		ManagedMapping mapping = this.mappings.get(name);
		if (mapping == null) {
			return Optional.empty();
		}
		if (!isMapping()) {
			this.mappings.remove(name, mapping);
			return Optional.of(CompletableFuture.completedFuture(null));
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> runnerOf(mapping).release(mapping).whenComplete((ignored, failure) -> {
			this.mappings.remove(name, mapping);
			done.complete(null);
		}));
		return Optional.of(done);
	}

	/**
	 * Releases one mapping on the router and keeps it listed, as {@link MappingState#REMOVED} (or
	 * {@code ABANDONED}), until {@link #remap(String)} asks for it again.
	 * @param name the mapping's name
	 * @return completes when the router confirmed, or gave up; empty if there is no such mapping
	 */
	public Optional<CompletableFuture<Void>> release(String name) {
		ManagedMapping mapping = this.mappings.get(name);
		if (mapping == null) {
			return Optional.empty();
		}
		if (!isMapping()) {
			return Optional.of(CompletableFuture.completedFuture(null)); // nothing was ever asked of a router
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> runnerOf(mapping).release(mapping).whenComplete((ignored, failure) -> done.complete(null)));
		return Optional.of(done);
	}

	/**
	 * Maps one mapping again now, whatever its state: renews an active one at once, retries a failing one
	 * without waiting for its backoff, or asks again for a released one.
	 * @param name the mapping's name
	 * @return whether there is such a mapping
	 */
	public boolean remap(String name) {
		ManagedMapping mapping = this.mappings.get(name);
		if (mapping == null) {
			return false;
		}
		if (isMapping()) {
			this.loop.execute(() -> remap(name, mapping));
		}
		return true;
	}

	private void remap(String name, ManagedMapping mapping) {
		CompletableFuture<Void> released = mapping.release;
		if (released != null) {
			ManagedMapping fresh = new ManagedMapping(mapping.spec, mapping.order, this.clock.instant(), MappingState.PENDING);
			if (this.mappings.replace(name, mapping, fresh)) {
				released.whenComplete((ignored, failure) -> attempt(fresh));
			}
		}
		else if (mapping.inFlight == null) {
			mapping.cancelTimer();
			attempt(mapping);
		}
	}

	/**
	 * What the engine knows of the router.
	 * @return the gateway, the protocol in use, the protocols that answered and the external address
	 */
	public GatewayInfo gatewayInfo() {
		PortMapper mapper = this.selector.selected();
		return new GatewayInfo((mapper != null) ? mapper.gateway() : null, (mapper != null) ? mapper.protocol() : null,
				this.selector.answered(), this.routerAddress.current(), this.routerAddress.previous(),
				this.routerAddress.changedAt(), stunAddress());
	}

	private @Nullable InetAddress stunAddress() {
		StunMonitor monitor = this.stun;
		StunObservation seen = (monitor != null) ? monitor.lastSuccessful() : null;
		return (seen != null) ? seen.publicAddress() : null;
	}

	/**
	 * Datagrams the engine's clients received and did not act on, by reason: forged, foreign, malformed or
	 * unmatched answers and announcements.
	 * @return live counters
	 */
	public IgnoredDatagrams ignoredDatagrams() {
		return this.ignored;
	}

	/**
	 * The router's unsolicited signals heard from its own address, and what came of them.
	 * @return live counters
	 */
	public RouterSignalCounts routerSignals() {
		return this.signalCounts;
	}

	/**
	 * Whether STUN servers are configured, so that checks run.
	 * @return true if any is
	 */
	public boolean hasStunServers() {
		return this.stun != null;
	}

	/**
	 * The last STUN check.
	 * @return the check, empty when no STUN server is configured or no check ended yet
	 */
	public Optional<StunObservation> stunObservation() {
		StunMonitor monitor = this.stun;
		return Optional.ofNullable((monitor != null) ? monitor.current() : null);
	}

	/**
	 * The last STUN check over IPv6, from the stable address the pinholes are for: what the internet sees of this
	 * host's IPv6 traffic (its own address, unless a prefix translation sits in front of the router).
	 * @return the check, empty without STUN servers, without pinholes, or before the first check ended
	 */
	public Optional<StunObservation> ipv6StunObservation() {
		PinholeLane lane = this.pinholes;
		return (lane != null) ? lane.stunObservation() : Optional.empty();
	}

	/**
	 * Every mapping, in the order they were added.
	 * @return snapshots
	 */
	public List<Mapping> mappings() {
		return this.mappings.values()
			.stream()
			.sorted(Comparator.comparingLong((ManagedMapping mapping) -> mapping.order))
			.map(ManagedMapping::snapshot)
			.toList();
	}

	public Optional<Mapping> mapping(String name) {
		return Optional.ofNullable(this.mappings.get(name)).map(ManagedMapping::snapshot);
	}

	/**
	 * Releases every mapping on the router.
	 * @return completes when every release is confirmed or has failed
	 */
	public CompletableFuture<Void> releaseAll() {
		if (this.mappings.isEmpty() || this.loop.isClosed() || !isMapping()) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> CompletableFuture
			.allOf(this.mappings.values().stream().map((mapping) -> runnerOf(mapping).release(mapping))
				.toArray(CompletableFuture[]::new))
			.whenComplete((ignored, failure) -> done.complete(null)));
		return done;
	}

	/**
	 * Releases every mapping, waiting at most the given time. A router that vanished cannot hold this up: what
	 * is not released in time runs out with its lease. Mappings added later are mapped again.
	 * @param timeout longest wait for the router
	 * @return true if every release was confirmed in time
	 */
	public boolean release(Duration timeout) {
		try {
			releaseAll().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			// The caller reports this: at JVM shutdown, java.util.logging has already lost its handlers.
			logger.log(Level.DEBUG, () -> "Router did not confirm every release within " + timeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.log(Level.DEBUG, "Release failed", ex);
		}
		return false;
	}

	/**
	 * Releases every mapping like {@link #release(Duration)}, then stops the engine's thread.
	 * @param timeout longest wait for the router
	 * @return true if every release was confirmed in time
	 */
	public boolean close(Duration timeout) {
		if (this.closed) {
			return true;
		}
		this.closed = true;
		// A release already under way had its bounded wait (for example at a Spring lifecycle stop): waiting
		// for it again would stretch the shutdown beyond its bound.
		boolean released = !hasUnreleasedMappings() || release(timeout);
		if (!released) {
			logger.log(Level.WARNING, () -> "Router did not confirm every release within " + timeout.toMillis()
					+ " ms; the rest expires with its lease");
		}
		if (this.loop.isStarted() && !this.loop.isClosed()) {
			CompletableFuture<Void> closed = new CompletableFuture<>();
			try {
				this.loop.execute(() -> {
					try {
						this.remapThrottle.cancel();
						this.permanentLeases.close();
						this.selector.close();
						if (this.pinholes != null) {
							this.pinholes.close();
						}
						this.signals.close();
						if (this.stun != null) {
							this.stun.close();
						}
					}
					finally {
						closed.complete(null);
					}
				});
				// Local work only (sockets, the journal's lock): the loop runs it before it stops.
				closed.get(1, TimeUnit.SECONDS);
			}
			catch (RuntimeException | ExecutionException | TimeoutException ex) {
				logger.log(Level.DEBUG, "Engine loop did not close its resources in time", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.loop.close();
		return released;
	}

	/**
	 * Closes, waiting for the router at most the builder's shutdown timeout.
	 */
	@Override
	public void close() {
		close(this.shutdownTimeout);
	}

	private boolean hasUnreleasedMappings() {
		return this.mappings.values().stream().map((mapping) -> mapping.snapshot().state()).anyMatch((state) ->
				state == MappingState.PENDING || state == MappingState.ACTIVE || state == MappingState.RETRYING);
	}

	/**
	 * The router's external address, as last reported with a grant.
	 * @return the address, empty before the first grant
	 */
	public Optional<InetAddress> externalAddress() {
		return Optional.ofNullable(this.routerAddress.current());
	}

	private void stunChecked(@Nullable StunObservation previous, StunObservation current) {
		InetAddress before = (previous != null) ? previous.publicAddress() : null;
		InetAddress now = current.publicAddress();
		if (current.differsFrom(previous)) {
			logger.log(current.succeeded() ? Level.INFO : Level.WARNING, () -> current.succeeded()
					? "STUN server " + current.server() + " sees this host at " + now.getHostAddress() + " ("
							+ current.transport() + ", NAT type " + current.natType().displayName() + ", checked in "
							+ current.duration().toMillis() + " ms)"
					: "STUN check failed: " + Objects.requireNonNull(current.failure()).getMessage());
		}
		this.listeners.tell("stunChecked", (listener) -> listener.stunChecked(previous, current));
		if (this.mode.kind() == NatMode.Kind.STUN && now != null && before != null && !now.equals(before)) {
			// The address every mapping announces is this one: map again, each then reports its change.
			this.runner.remapAll(false);
		}
		this.routerStatus.reevaluate();
	}

	/**
	 * A router's answer showed that it lost every mapping (it restarted): map them all again now rather than at
	 * their next renewal, within the remap throttle.
	 */
	private void routerLostState() {
		this.signalLog.log(SignalLog.Kind.STATE_LOST, Level.INFO, "Router lost its mappings (it restarted): mapping them again");
		this.remapThrottle.request(true);
	}

	private void remapAll(boolean lostOnRouter) {
		this.runner.remapAll(lostOnRouter);
	}

	/** What the engine does when the router speaks unasked; on the loop thread. */
	private final class SignalReactions implements RouterSignals.Reactions {

		@Override
		public void routerAnswered(@Nullable InetAddress externalAddress) {
			InetAddress known = MappingEngine.this.routerAddress.current();
			boolean moved = externalAddress != null && known != null && !externalAddress.equals(known);
			boolean retrying = MappingEngine.this.mappings.values()
				.stream()
				.anyMatch((mapping) -> mapping.state == MappingState.RETRYING && mapping.inFlight == null);
			// A new address is announced by every mapping's renewal; a router back from an outage is retried now
			// instead of after the backoff.
			if (moved || retrying) {
				MappingEngine.this.remapThrottle.request(false);
			}
		}

		@Override
		public void routerRestarted() {
			MappingEngine.this.remapThrottle.request(true);
		}

	}


}
