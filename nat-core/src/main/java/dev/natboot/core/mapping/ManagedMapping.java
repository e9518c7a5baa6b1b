package dev.natboot.core.mapping;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

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

	@Nullable NatException lastError;

	@Nullable Timer timer;

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

	MappingRequest request(int suggestedExternalPort) {
		return new MappingRequest(this.spec.transport(), this.spec.internalPort(), suggestedExternalPort,
				this.spec.lease(), this.nonce.clone());
	}

	private Mapping build() {
		PortGrant current = this.grant;
		return new Mapping(this.spec, this.state, (current != null) ? current.protocol() : null,
				(current != null) ? current.gateway() : null, (current != null) ? current.externalAddress() : null,
				(current != null) ? current.externalPort() : 0, (current != null) ? current.lifetime() : null,
				this.expiresAt, this.requestedAt, this.confirmedAt, this.timeToConfirm, this.lastRenewedAt,
				this.renewals, this.failures, this.lastError);
	}

}
