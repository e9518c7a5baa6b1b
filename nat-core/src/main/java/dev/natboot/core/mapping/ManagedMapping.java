package dev.natboot.core.mapping;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.io.NatEventLoop.Timer;
import dev.natboot.core.pcp.PcpMapData;
import org.jspecify.annotations.Nullable;

/**
 * The engine's working state of one mapping. Mutated on the loop thread only; other threads read the last
 * published {@link #snapshot()}.
 */
final class ManagedMapping {

	private static final SecureRandom random = new SecureRandom();

	final MappingSpec spec;

	final long order;

	final byte[] nonce = new byte[PcpMapData.NONCE_LENGTH];

	final Instant requestedAt;

	final long requestedNanos;

	MappingState state;

	@Nullable PortGrant grant;

	@Nullable PortMapper grantedBy;

	@Nullable Instant expiresAt;

	@Nullable Instant confirmedAt;

	@Nullable Duration timeToConfirm;

	@Nullable Instant lastRenewedAt;

	long renewals;

	long failures;

	int failuresInARow;

	/** When the failures in a row began; {@code null} while the last exchange succeeded. */
	@Nullable Instant failingSince;

	/** {@link System#nanoTime()} of the last failure logged at WARNING, to keep an outage from flooding logs. */
	long lastWarningNanos;

	@Nullable NatException lastError;

	/** The router lost its state (it restarted) while this mapping was active: the next grant re-created it. */
	boolean lostOnRouter;

	/** {@link System#nanoTime()} when the grant is to be renewed; {@code Long.MAX_VALUE} for a permanent one. */
	long renewDueNanos = Long.MAX_VALUE;

	@Nullable Timer timer;

	/** The exchange this mapping waits to start while the router is busy with others. */
	@Nullable Supplier<@Nullable CompletableFuture<?>> waitingExchange;

	@Nullable CompletableFuture<PortGrant> inFlight;

	@Nullable CompletableFuture<Void> release;

	private volatile Mapping snapshot;

	ManagedMapping(MappingSpec spec, long order, Instant requestedAt, MappingState initialState) {
		this.spec = spec;
		this.order = order;
		this.requestedAt = requestedAt;
		this.requestedNanos = System.nanoTime();
		this.state = initialState;
		random.nextBytes(this.nonce);
		this.snapshot = build();
	}

	Mapping snapshot() {
		return this.snapshot;
	}

	/**
	 * Publishes the current state to readers on other threads.
	 * @return the new snapshot
	 */
	Mapping publish() {
		this.snapshot = build();
		return this.snapshot;
	}

	boolean isReleasing() {
		return this.release != null;
	}

	void cancelTimer() {
		Timer current = this.timer;
		if (current != null) {
			current.cancel();
			this.timer = null;
		}
	}

	/**
	 * Records what the router granted.
	 * @param granted the grant
	 * @param now the time
	 * @return what the grant means to listeners
	 */
	GrantOutcome granted(PortGrant granted, Instant now) {
		PortGrant previous = (this.state == MappingState.ACTIVE) ? this.grant : null;
		this.grant = granted;
		this.state = MappingState.ACTIVE;
		this.failuresInARow = 0;
		this.failingSince = null;
		this.expiresAt = (granted.lifetime() != null) ? now.plus(granted.lifetime()) : null;
		if (this.confirmedAt == null) {
			this.confirmedAt = now;
			this.timeToConfirm = Duration.ofNanos(System.nanoTime() - this.requestedNanos);
		}
		if (previous == null) {
			return GrantOutcome.CREATED;
		}
		boolean lost = this.lostOnRouter;
		this.lostOnRouter = false;
		if (granted.recreated() || lost) {
			return GrantOutcome.RECREATED;
		}
		this.renewals++;
		this.lastRenewedAt = now;
		boolean same = previous.externalAddress().equals(granted.externalAddress())
				&& previous.externalPort() == granted.externalPort();
		return same ? GrantOutcome.RENEWED : GrantOutcome.CHANGED;
	}

	/**
	 * Records a failed attempt. A grant whose lease has not run out stays active.
	 * @param cause what went wrong
	 * @param now the time
	 * @return nanoseconds left on a still-valid grant, or -1 when the mapping is no longer valid
	 */
	long failed(NatException cause, Instant now) {
		this.failures++;
		this.failuresInARow++;
		if (this.failingSince == null) {
			this.failingSince = now;
		}
		this.lastError = cause;
		Instant expiry = this.expiresAt;
		if (this.state == MappingState.ACTIVE && (expiry == null || expiry.isAfter(now))) {
			return (expiry != null) ? Duration.between(now, expiry).toNanos() : Long.MAX_VALUE;
		}
		this.state = MappingState.RETRYING;
		this.grant = null;
		this.expiresAt = null;
		return -1;
	}

	/**
	 * Records the end of a release.
	 * @param failure why the router did not confirm, or {@code null} if it did
	 */
	void released(@Nullable NatException failure) {
		if (failure != null && failure.kind() == NatErrorKind.MAPPING_TAKEN) {
			// Nothing of this application's is left on the router: removed, with the reason.
			this.state = MappingState.REMOVED;
			this.lastError = failure;
			this.grant = null;
			this.expiresAt = null;
		}
		else if (failure != null) {
			// Keep the grant and its expiry: that is when the router forgets it by itself.
			this.state = MappingState.ABANDONED;
			this.lastError = failure;
		}
		else {
			this.state = MappingState.REMOVED;
			this.grant = null;
			this.expiresAt = null;
		}
	}

	MappingRequest request(int suggestedExternalPort) {
		return new MappingRequest(this.spec.transport(), this.spec.internalPort(), suggestedExternalPort,
				this.spec.lease(), this.nonce.clone(), this.spec.description(), this.grant != null);
	}

	/** What a grant means to listeners. */
	enum GrantOutcome {

		CREATED, RENEWED, CHANGED,

		/** The router had dropped the mapping; the renewal created it again. */
		RECREATED

	}

	private Mapping build() {
		PortGrant current = this.grant;
		return new Mapping(this.spec, this.state, (current != null) ? current.protocol() : null,
				(current != null) ? current.gateway() : null, (current != null) ? current.externalAddress() : null,
				(current != null) ? current.externalPort() : 0, (current != null) ? current.lifetime() : null,
				this.expiresAt, this.requestedAt, this.confirmedAt, this.timeToConfirm, this.lastRenewedAt,
				this.renewals, this.failures, this.lastError, this.failingSince);
	}

}
