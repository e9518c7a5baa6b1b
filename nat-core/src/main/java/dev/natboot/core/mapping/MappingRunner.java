package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The life of every mapping on the router, on the engine's loop thread: asks for it, renews it, verifies that
 * the router still holds it, retries with backoff, and releases it. The engine owns the mappings and tells
 * this what to do; this tells the engine's listeners what came of it.
 */
final class MappingRunner {

	private static final System.Logger logger = System.getLogger(MappingEngine.class.getName());

	private final Map<String, ManagedMapping> mappings;

	private final NatEventLoop loop;

	/** The family of the mappings this runner serves: IPv4 mappings, or IPv6 pinholes. */
	private final StandardProtocolFamily family;

	private final MapperSource selector;

	private final PermanentLeases permanentLeases;

	private final RouterAddress routerAddress;

	/** What the router says unasked; IPv4 only. */
	private final @Nullable RouterSignals signals;

	private final @Nullable StunMonitor stun;

	private final Listeners listeners;

	private final Clock clock;

	private final RenewalPolicy renewalPolicy;

	private final long verificationIntervalNanos;

	private final OutageLog outageLog;

	private final ExchangeLimiter limiter = new ExchangeLimiter(ExchangeLimiter.MAX_CONCURRENT);

	/** Operations begun so far, for their ids; touched on the engine's thread only. */
	private long operations;

	/** {@link System#nanoTime()} of the router's last answer. */
	private long lastAnswerNanos = System.nanoTime() - Long.MAX_VALUE / 2;

	MappingRunner(StandardProtocolFamily family, Map<String, ManagedMapping> mappings, NatEventLoop loop,
			MapperSource selector, PermanentLeases permanentLeases, RouterAddress routerAddress,
			@Nullable RouterSignals signals,
			@Nullable StunMonitor stun, Listeners listeners, Clock clock, RenewalPolicy renewalPolicy,
			Duration verificationInterval, OutageLog outageLog) {
		this.family = family;
		this.mappings = mappings;
		this.loop = loop;
		this.selector = selector;
		this.permanentLeases = permanentLeases;
		this.routerAddress = routerAddress;
		this.signals = signals;
		this.stun = stun;
		this.listeners = listeners;
		this.clock = clock;
		this.renewalPolicy = renewalPolicy;
		this.verificationIntervalNanos = verificationInterval.toNanos();
		this.outageLog = outageLog;
	}

	void attempt(ManagedMapping mapping) {
		mapping.timer = null;
		if (mapping.isReleasing() || this.loop.isClosed()) {
			return;
		}
		this.limiter.submit(mapping, () -> exchange(mapping));
	}

	private @Nullable CompletableFuture<?> exchange(ManagedMapping mapping) {
		if (mapping.isReleasing() || this.loop.isClosed() || mapping.inFlight != null) {
			return null;
		}
		if (this.signals != null) {
			this.signals.listenForAnnouncements();
		}
		if (this.stun != null) {
			this.stun.start();
		}
		PortGrant previous = mapping.grant;
		int suggested = (previous != null) ? previous.externalPort() : mapping.spec.wantedExternalPort();
		MappingOperation.Kind kind = (mapping.state == MappingState.ACTIVE) ? MappingOperation.Kind.RENEW
				: MappingOperation.Kind.CREATE;
		long started = System.nanoTime();
		AtomicReference<@Nullable PortMapper> askedWith = new AtomicReference<>();
		CompletableFuture<PortGrant> result = this.selector.select().thenCompose(this.permanentLeases::cleanUpBefore).thenCompose((mapper) -> {
			askedWith.set(mapper);
			if (this.signals != null) {
				this.signals.inUse(mapper);
			}
			return mapper.map(mapping.request(suggested)).thenApply((grant) -> {
				mapping.grantedBy = mapper;
				return grant;
			});
		});
		mapping.inFlight = result;
		PortMapper asking = askedWith.get();
		long operation = started(mapping, kind, (asking != null) ? asking.protocol() : null);
		result.whenComplete((grant, failure) -> {
			mapping.inFlight = null;
			NatException cause = (failure != null) ? NatException.of(failure, null) : null;
			PortMapper mapper = askedWith.get();
			noteAnswer(cause);
			try {
				if (mapping.isReleasing()) {
					return; // the release that waited for this attempt deletes what it granted
				}
				if (cause != null) {
					failed(mapping, cause, mapper, started);
				}
				else {
					granted(mapping, grant);
				}
			}
			finally {
				// After the mapping's own listeners: registering a meter the first time (a Prometheus histogram)
				// costs more than a LAN round trip, and held back the confirmation by 30-150 ms.
				reportOperation(operation, mapping, kind, (mapper != null) ? mapper.protocol() : null, started, cause);
			}
		});
		return result;
	}

	/** Remembers when the router last answered anything, even an error: a router that answers is there. */
	private void noteAnswer(@Nullable NatException cause) {
		if (cause == null || !isSilence(cause)) {
			this.lastAnswerNanos = System.nanoTime();
		}
	}

	private static boolean isSilence(NatException cause) {
		return cause.kind() == NatErrorKind.NO_RESPONSE || cause.kind() == NatErrorKind.UNSUPPORTED_VERSION
				|| cause.kind() == NatErrorKind.IO_ERROR;
	}

	private void granted(ManagedMapping mapping, PortGrant grant) {
		Mapping before = mapping.snapshot();
		int failuresBefore = mapping.failuresInARow;
		Instant failingSince = mapping.failingSince;
		Instant now = this.clock.instant();
		ManagedMapping.GrantOutcome outcome = mapping.granted(grant, now);
		// Remembered before anyone hears of it: a crash from now on must not leave it open for ever.
		this.permanentLeases.granted(mapping, grant);
		if (failingSince != null) {
			this.outageLog.recovered(mapping, failuresBefore, failingSince, now);
		}
		Mapping after = mapping.publish();
		noteExternalAddress(mapping, grant);
		switch (outcome) {
			case CREATED -> this.listeners.tell("mappingCreated", (listener) -> listener.mappingCreated(after));
			case RENEWED -> this.listeners.tell("mappingRenewed", (listener) -> listener.mappingRenewed(after));
			case CHANGED -> this.listeners.tell("mappingChanged", (listener) -> listener.mappingChanged(before, after));
			case RECREATED -> {
				this.listeners.tell("mappingLost", (listener) -> listener.mappingLost(before));
				this.listeners.tell("mappingCreated", (listener) -> listener.mappingCreated(after));
			}
		}
		if (grant.protocol() == NatProtocol.MANUAL || grant.protocol() == NatProtocol.STUN) {
			return; // no router holds it
		}
		Duration lifetime = grant.lifetime();
		long renewDelay = (lifetime != null) ? this.renewalPolicy.renewDelayNanos(lifetime) : Long.MAX_VALUE;
		mapping.renewDueNanos = (lifetime != null) ? System.nanoTime() + renewDelay : Long.MAX_VALUE;
		mapping.timer = this.loop.scheduleNanos(() -> checkpoint(mapping),
				Math.min(renewDelay, this.verificationIntervalNanos));
	}

	/**
	 * Renews a mapping when its renewal is due; before that, verifies that the router still holds it, so that
	 * a mapping the router dropped without a word is back within one verification interval. Routers that cannot
	 * be asked without changing anything (PCP, NAT-PMP) are verified by renewing, which re-creates what they
	 * lost.
	 */
	private void checkpoint(ManagedMapping mapping) {
		mapping.timer = null;
		PortMapper mapper = mapping.grantedBy;
		PortGrant grant = mapping.grant;
		long untilRenewal = mapping.renewDueNanos - System.nanoTime();
		if (mapping.isReleasing() || this.loop.isClosed()) {
			return;
		}
		if (mapper == null || grant == null || !mapper.canCheck() || untilRenewal <= 0
				|| mapper != this.selector.selected()) {
			attempt(mapping);
			return;
		}
		this.limiter.submit(mapping, () -> verify(mapping, mapper, grant));
	}

	private @Nullable CompletableFuture<?> verify(ManagedMapping mapping, PortMapper mapper, PortGrant grant) {
		if (mapping.isReleasing() || this.loop.isClosed() || mapping.timer != null || mapping.inFlight != null
				|| mapping.grant != grant) {
			return null;
		}
		long started = System.nanoTime();
		CompletableFuture<PortMapper.Presence> check = mapper.check(mapping.request(grant.externalPort()), grant);
		long operation = started(mapping, MappingOperation.Kind.VERIFY, mapper.protocol());
		return check.whenComplete((presence, failure) -> {
			NatException cause = (failure != null) ? NatException.of(failure, mapper.protocol()) : null;
			noteAnswer(cause);
			reportOperation(operation, mapping, MappingOperation.Kind.VERIFY, mapper.protocol(), started, cause);
			if (mapping.isReleasing() || mapping.timer != null || mapping.inFlight != null) {
				return; // a release, remap or router signal took over meanwhile
			}
			if (cause != null) {
				failed(mapping, cause, mapper, started);
			}
			else if (presence == PortMapper.Presence.PRESENT) {
				long left = mapping.renewDueNanos - System.nanoTime();
				mapping.timer = this.loop.scheduleNanos(() -> checkpoint(mapping),
						Math.max(0, Math.min(left, this.verificationIntervalNanos)));
			}
			else {
				if (presence == PortMapper.Presence.MISSING) {
					logger.log(Level.INFO, () -> "Router dropped mapping '" + mapping.spec.name() + "' (external port "
							+ grant.externalPort() + "/" + mapping.spec.transport() + "): mapping it again");
					mapping.lostOnRouter = true;
				}
				attempt(mapping);
			}
		});
	}

	private void noteExternalAddress(ManagedMapping mapping, PortGrant grant) {
		if (grant.protocol() == NatProtocol.MANUAL || this.family == StandardProtocolFamily.INET6) {
			return; // a pinhole's address is this host's own, not the router's
		}
		InetAddress current = grant.externalAddress();
		InetAddress previous = this.routerAddress.granted(current);
		if (previous != null) {
			logger.log(Level.INFO, () -> "Router's external address changed from " + previous.getHostAddress() + " to "
					+ current.getHostAddress() + ": announcing every mapping's new endpoint");
			this.listeners.tell("externalAddressChanged", (listener) -> listener.externalAddressChanged(previous, current));
			// The other mappings still show the old address: renew them now, each then reports its change.
			served().filter((other) -> other != mapping).forEach((other) -> mapNow(other, false));
			if (this.stun != null && grant.protocol() != NatProtocol.STUN) {
				this.stun.checkSoon();
			}
		}
	}

	private void failed(ManagedMapping mapping, NatException cause, @Nullable PortMapper mapper, long startedNanos) {
		// The router may have been replaced or may speak another protocol now: probe again next time. Unless it
		// answered another exchange meanwhile: then this one was lost on the way, and dropping the mapper would
		// fail every other exchange under way with it.
		if (mapper != null && isSilence(cause) && this.lastAnswerNanos - startedNanos < 0) {
			this.selector.discard(mapper);
		}
		if (mapper != null && !isSilence(cause)) {
			this.routerAddress.askAfterRefusal(mapper, this.selector::routerAddress);
		}
		long remaining = mapping.failed(cause, this.clock.instant());
		long delay = this.renewalPolicy.retryDelayNanos(mapping.failuresInARow, remaining);
		Mapping after = mapping.publish();
		this.outageLog.failed(mapping, cause, delay, this.clock.instant());
		this.listeners.tell("mappingFailed", (listener) -> listener.mappingFailed(after, cause));
		mapping.timer = this.loop.scheduleNanos(() -> attempt(mapping), delay);
	}

	CompletableFuture<Void> release(ManagedMapping mapping) {
		CompletableFuture<Void> existing = mapping.release;
		if (existing != null) {
			return existing;
		}
		mapping.cancelTimer();
		MappingState before = mapping.state;
		mapping.state = (mapping.grant != null) ? MappingState.RELEASING : mapping.state;
		mapping.publish();
		CompletableFuture<PortGrant> inFlight = mapping.inFlight;
		CompletableFuture<Void> prior = (inFlight != null) ? inFlight.handle((grant, failure) -> {
			if (grant != null) {
				mapping.grant = grant;
			}
			return null;
		}) : CompletableFuture.completedFuture(null);
		CompletableFuture<Void> release = prior.thenCompose((ignored) -> unmap(mapping)).handle((ignored, failure) -> {
			// Once confirmed, a mapping's end is news even if its last renewals failed.
			boolean wasMapped = mapping.grant != null || before == MappingState.ACTIVE || mapping.confirmedAt != null;
			NatException cause = (failure != null) ? NatException.of(failure, null) : null;
			boolean taken = cause != null && cause.kind() == NatErrorKind.MAPPING_TAKEN;
			if (taken) {
				logger.log(Level.INFO, () -> "Mapping '" + mapping.spec.name() + "' was lost on the router: "
						+ cause.getMessage());
			}
			else if (cause != null) {
				logger.log(Level.DEBUG, () -> "Releasing mapping '" + mapping.spec.name() + "' failed: "
						+ cause.getMessage());
			}
			if (cause == null || taken) {
				this.permanentLeases.released(mapping, mapping.grant);
			}
			mapping.released(cause);
			Mapping after = mapping.publish();
			if (wasMapped) {
				this.listeners.tell("mappingRemoved", (listener) -> listener.mappingRemoved(after));
			}
			return null;
		});
		mapping.release = release;
		return release;
	}

	private CompletableFuture<Void> unmap(ManagedMapping mapping) {
		PortGrant grant = mapping.grant;
		PortMapper mapper = mapping.grantedBy;
		if (grant == null || mapper == null) {
			return CompletableFuture.completedFuture(null);
		}
		long started = System.nanoTime();
		CompletableFuture<Void> unmap = mapper.unmap(mapping.request(grant.externalPort()));
		long operation = started(mapping, MappingOperation.Kind.REMOVE, mapper.protocol());
		return unmap.whenComplete((ignored, failure) -> reportOperation(operation, mapping,
				MappingOperation.Kind.REMOVE, mapper.protocol(), started,
				(failure != null) ? NatException.of(failure, null) : null));
	}

	/** Tells listeners that an exchange began, once its request is sent: their work overlaps the router's. */
	private long started(ManagedMapping mapping, MappingOperation.Kind kind, @Nullable NatProtocol protocol) {
		long id = ++this.operations;
		MappingOperation.Started started = new MappingOperation.Started(id, mapping.spec.name(), kind, protocol,
				mapping.spec.transport());
		this.listeners.tell("operationStarted", (listener) -> listener.operationStarted(started));
		return id;
	}

	private void reportOperation(long id, ManagedMapping mapping, MappingOperation.Kind kind,
			@Nullable NatProtocol protocol, long startedNanos, @Nullable NatException failure) {
		MappingOperation operation = new MappingOperation(mapping.spec.name(), kind, protocol,
				mapping.spec.transport(), Duration.ofNanos(System.nanoTime() - startedNanos), failure, id);
		this.listeners.tell("operationCompleted", (listener) -> listener.operationCompleted(operation));
	}

	/**
	 * Maps every mapping again. Spread over a few hundred milliseconds, as RFC 6887 section 14.1.3 asks of
	 * clients after an announcement, but well inside the two seconds users may wait.
	 */
	void remapAll(boolean lostOnRouter) {
		served().forEach((mapping) -> mapNow(mapping, lostOnRouter));
	}

	/** The engine's mappings of this runner's family. */
	private Stream<ManagedMapping> served() {
		return this.mappings.values().stream().filter((mapping) -> mapping.spec.family() == this.family);
	}

	void mapNow(ManagedMapping mapping, boolean lostOnRouter) {
		MappingState state = mapping.state;
		if (mapping.isReleasing() || mapping.inFlight != null
				|| (state != MappingState.ACTIVE && state != MappingState.RETRYING && state != MappingState.PENDING)) {
			return;
		}
		if (lostOnRouter && state == MappingState.ACTIVE) {
			mapping.lostOnRouter = true;
		}
		mapping.cancelTimer();
		long spread = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(200));
		mapping.timer = this.loop.scheduleNanos(() -> attempt(mapping), spread);
	}

}
