package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one mapping.
 *
 * @param spec what was asked for
 * @param state where it stands
 * @param protocol protocol of the current grant, if any
 * @param gateway router that granted it, if any
 * @param externalAddress external address, if mapped
 * @param externalPort external port, 0 if not mapped
 * @param lifetime lifetime the router granted; {@code null} if not mapped or if it does not expire
 * @param expiresAt when the grant runs out unless renewed
 * @param requestedAt when the application asked for it
 * @param confirmedAt when a router first confirmed it
 * @param timeToConfirm from the request to the router's first confirmation
 * @param lastRenewedAt when a router last confirmed it again
 * @param renewals how many renewals succeeded
 * @param failures how many attempts failed
 * @param lastError the most recent failure
 * @param failingSince when the router exchanges started failing, {@code null} while the last one succeeded
 */
public record Mapping(MappingSpec spec, MappingState state, @Nullable NatProtocol protocol,
		@Nullable InetSocketAddress gateway, @Nullable InetAddress externalAddress, int externalPort,
		@Nullable Duration lifetime, @Nullable Instant expiresAt, Instant requestedAt, @Nullable Instant confirmedAt,
		@Nullable Duration timeToConfirm, @Nullable Instant lastRenewedAt, long renewals, long failures,
		@Nullable NatException lastError, @Nullable Instant failingSince) {

	/**
	 * Whether the last exchange with the router failed.
	 * @return true while failing
	 */
	public boolean isFailing() {
		return this.failingSince != null;
	}

	public String name() {
		return this.spec.name();
	}

	/**
	 * Whether the application is reachable through this mapping now.
	 * @return true when active
	 */
	public boolean isActive() {
		return this.state == MappingState.ACTIVE;
	}

	/**
	 * The external endpoint, when mapped.
	 * @return address and port, or {@code null}
	 */
	public @Nullable InetSocketAddress externalEndpoint() {
		return (this.externalAddress != null) ? new InetSocketAddress(this.externalAddress, this.externalPort) : null;
	}

}
