package dev.natboot.relay;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatException;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.core.reachability.ReachabilityListener;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.core.reachability.ReachabilityStatus;
import dev.natboot.core.reachability.TurnReachabilityProbe;

/**
 * Decides when the relay is up, from what the engine and the checks from outside say of one mapping (the web
 * server's): in {@link RelayMode#FALLBACK} it is opened when no mapping can make the server reachable (the engine
 * maps nothing, the mapping fails, or it is behind another NAT, or a check from outside found it unreachable) and
 * released once the mapping is reachable again: verified from outside when checks run, else active on a public
 * address. While a mapping is still being tried nothing changes, so a router that answers in time never sees the
 * relay come up. When a TURN probe is given, the relayed endpoint is checked from outside too.
 */
public final class RelayManager implements AutoCloseable {

	static final String NOTHING_CHECKS = "no TURN server checks from outside (nat.turn.servers)";

	private final Relay relay;

	private final RelayMode mode;

	private final MappingEngine engine;

	private final String mappingName;

	private final @Nullable ReachabilityMonitor monitor;

	private final @Nullable TurnReachabilityProbe probe;

	private final List<RelayVerificationListener> verificationListeners = new CopyOnWriteArrayList<>();

	private @Nullable InetSocketAddress target;

	private boolean started;

	/** The monitor has no removeListener: its listener is attached once and ignores what it hears while stopped. */
	private boolean monitorAttached;

	private boolean open;

	private volatile @Nullable String reason;

	private static final Reachability NOT_CONNECTED = Reachability.unverified("the relay is not connected");

	private volatile Reachability relayReachability = NOT_CONNECTED;

	private @Nullable ExecutorService checks;

	private final MappingListener mappingListener = new MappingListener() {

		@Override
		public void mappingCreated(Mapping mapping) {
			changed(mapping);
		}

		@Override
		public void mappingChanged(Mapping previous, Mapping current) {
			changed(current);
		}

		@Override
		public void mappingLost(Mapping mapping) {
			changed(mapping);
		}

		@Override
		public void mappingFailed(Mapping mapping, NatException cause) {
			changed(mapping);
		}

		@Override
		public void behindAnotherNatChanged(GatewayInfo gateway) {
			evaluate();
		}

	};

	private final ReachabilityListener reachabilityListener = (mapping, previous, current) -> changed(mapping);

	private final RelayListener verifier = new RelayListener() {

		@Override
		public void relayConnected(RelayState state) {
			if (RelayManager.this.probe == null) {
				RelayManager.this.relayReachability = Reachability.unverified(NOTHING_CHECKS);
			}
			verify(state);
		}

		@Override
		public void relayLost(RelayState state, RelayException cause) {
			RelayManager.this.relayReachability = NOT_CONNECTED;
		}

		@Override
		public void relayReleased(RelayState state) {
			RelayManager.this.relayReachability = NOT_CONNECTED;
		}

	};

	/**
	 * A manager; {@link #start} it once the server listens.
	 * @param relay the relay to open and release
	 * @param mode when (a manager is not made for {@link RelayMode#NEVER})
	 * @param engine the engine that maps the server's port
	 * @param mappingName the name of the server's mapping in the engine
	 * @param monitor the checks from outside, {@code null} when no TURN server is configured
	 * @param probe to check the relayed endpoint from outside, {@code null} when no TURN server is configured
	 */
	public RelayManager(Relay relay, RelayMode mode, MappingEngine engine, String mappingName,
			@Nullable ReachabilityMonitor monitor, @Nullable TurnReachabilityProbe probe) {
		if (mode == RelayMode.NEVER) {
			throw new IllegalArgumentException("A relay manager in mode NEVER would never open the relay");
		}
		this.relay = relay;
		this.mode = mode;
		this.engine = engine;
		this.mappingName = mappingName;
		this.monitor = monitor;
		this.probe = probe;
		relay.addListener(this.verifier);
	}

	/**
	 * Starts deciding for the server at {@code target} (its address on this host and port).
	 * @param target where the relay passes connections on to
	 */
	public synchronized void start(InetSocketAddress target) {
		this.target = target;
		if (!this.started) {
			this.started = true;
			this.engine.addListener(this.mappingListener);
			if (this.monitor != null && !this.monitorAttached) {
				this.monitor.addListener(this.reachabilityListener);
				this.monitorAttached = true;
			}
		}
		if (this.open) {
			this.relay.open(target);
		}
		evaluate();
	}

	/** Stops deciding and releases the relay; {@link #start} again resumes. */
	public synchronized void stop() {
		if (this.started) {
			this.started = false;
			this.engine.removeListener(this.mappingListener);
		}
		this.open = false;
		this.relay.release();
	}

	public Relay relay() {
		return this.relay;
	}

	public RelayMode mode() {
		return this.mode;
	}

	/** Why the relay is open or on standby now, in words for health and the endpoint. */
	public Optional<String> reason() {
		return Optional.ofNullable(this.reason);
	}

	/** What the last check from outside of the relayed endpoint found. */
	public Reachability relayReachability() {
		return this.relayReachability;
	}

	public void addVerificationListener(RelayVerificationListener listener) {
		this.verificationListeners.add(listener);
	}

	private void changed(Mapping mapping) {
		if (mapping.name().equals(this.mappingName)) {
			evaluate();
		}
	}

	/** Opens or releases the relay as the mapping now stands; never blocks (the relay works on its own thread). */
	synchronized void evaluate() {
		InetSocketAddress target = this.target;
		if (!this.started || target == null) {
			return;
		}
		Boolean wanted = (this.mode == RelayMode.ALWAYS) ? Boolean.TRUE : fallbackWanted();
		if (this.mode == RelayMode.ALWAYS) {
			this.reason = "nat.relay.mode is always";
		}
		if (wanted == null || wanted == this.open) {
			return;
		}
		this.open = wanted;
		if (wanted) {
			this.relay.open(target);
		}
		else {
			this.relay.release();
		}
	}

	/** Whether the fallback needs the relay: true, false, or {@code null} while it cannot tell yet. */
	private @Nullable Boolean fallbackWanted() {
		if (!this.engine.isMapping()) {
			this.reason = "no mapping: " + this.engine.inactiveReason().orElse("the engine maps nothing");
			return true;
		}
		Mapping mapping = this.engine.mapping(this.mappingName).orElse(null);
		if (mapping == null || mapping.state() == MappingState.PENDING) {
			return null;
		}
		if (!mapping.isActive()) {
			if (mapping.state() == MappingState.RELEASING || mapping.state() == MappingState.REMOVED) {
				return null; // the application is stopping
			}
			NatException error = mapping.lastError();
			this.reason = "no mapping: " + ((error != null) ? error.getMessage() : mapping.state().name().toLowerCase(
					java.util.Locale.ROOT));
			return true;
		}
		InetSocketAddress endpoint = mapping.externalEndpoint();
		if (endpoint == null || !AddressScope.of(endpoint.getAddress()).isReachableFromInternet()) {
			this.reason = "the mapping is behind another NAT (the router's external address "
					+ ((endpoint != null) ? endpoint.getAddress().getHostAddress() : "is unknown") + ")";
			return true;
		}
		if (this.engine.gatewayInfo().isStunMismatch()) {
			this.reason = "the mapping is behind another NAT (STUN sees another public address)";
			return true;
		}
		if (this.monitor == null) {
			this.reason = "mapped at " + endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort();
			return false;
		}
		Reachability reachability = this.monitor.reachability(mapping);
		if (reachability.status() == ReachabilityStatus.UNREACHABLE) {
			this.reason = "the mapping is unreachable from outside: " + reachability.reason();
			return true;
		}
		if (reachability.status() == ReachabilityStatus.REACHABLE) {
			this.reason = "the mapping is verified reachable from outside";
			return false;
		}
		return null; // not checked yet, or the check itself fails: keep what was decided
	}

	private void verify(RelayState state) {
		TurnReachabilityProbe probe = this.probe;
		InetSocketAddress published = state.publicAddress();
		String endpoint = state.publicEndpoint();
		if (probe == null || published == null) {
			return;
		}
		try {
			checks().execute(() -> {
				// Resolved here, on the checks' thread: a slow DNS must not hold up the relay's.
				InetSocketAddress address = new InetSocketAddress(published.getHostString(), published.getPort());
				if (address.isUnresolved()) {
					record(Reachability.unverified("the relay's host " + published.getHostString() + " does not resolve"));
					return;
				}
				long start = System.nanoTime();
				TurnReachabilityProbe.Outcome outcome = probe.check(address, true);
				record(new Reachability(outcome.status(), java.time.Instant.now(), outcome.via(),
						outcome.status() == ReachabilityStatus.REACHABLE ? null : outcome.detail(),
						java.time.Duration.ofNanos(System.nanoTime() - start), endpoint));
			});
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void record(Reachability result) {
		this.relayReachability = result;
		for (RelayVerificationListener listener : this.verificationListeners) {
			try {
				listener.relayChecked(result);
			}
			catch (RuntimeException ex) {
				// a listener's failure is its own
			}
		}
	}

	private synchronized ExecutorService checks() {
		if (this.checks == null) {
			this.checks = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, "nat-relay-check");
				thread.setDaemon(true);
				return thread;
			});
		}
		return this.checks;
	}

	/** Stops deciding and closes the relay for good, bounded by the timeout. */
	public void close(java.time.Duration timeout) {
		synchronized (this) {
			if (this.started) {
				this.started = false;
				this.engine.removeListener(this.mappingListener);
			}
			if (this.checks != null) {
				this.checks.shutdownNow();
			}
		}
		this.relay.close(timeout);
	}

	@Override
	public void close() {
		close(java.time.Duration.ofSeconds(2));
	}

}
