package dev.natboot.spring.endpoint;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The relay fallback, as the {@code nat} endpoint and health show it; no secret in it.
 *
 * @param mode fallback, always
 * @param status STANDBY, CONNECTING, CONNECTED, DISCONNECTED or CLOSED
 * @param server the relay server, {@code ssh://USER@HOST:PORT}
 * @param publicEndpoint where the internet reaches the web server through it, when connected
 * @param reason why it is up or on standby now
 * @param since when the status last changed
 * @param connectedInMillis how long the last connect took
 * @param reconnects how many times it connected again after a loss
 * @param lastError the most recent error, {@code null} once connected again
 * @param connections relayed connections so far
 * @param openConnections relayed connections open now
 * @param bytesIn bytes relayed to the web server
 * @param bytesOut bytes relayed from it
 * @param reachability the last check from outside of the relayed endpoint
 */
public record RelayDescriptor(String mode, String status, String server, @Nullable String publicEndpoint,
		@Nullable String reason, Instant since, @Nullable Long connectedInMillis, long reconnects,
		@Nullable RelayError lastError, long connections, int openConnections, long bytesIn, long bytesOut,
		NatEndpoint.ReachabilityDescriptor reachability) {

	/** Whether the relay forwards now. */
	public boolean isConnected() {
		return "CONNECTED".equals(this.status);
	}

	/**
	 * A relay error.
	 *
	 * @param kind HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, AUTHENTICATION_FAILED, FORWARD_REFUSED, SERVER_UNREACHABLE,
	 * CONNECTION_LOST or SSH_ERROR
	 * @param message what to fix
	 * @param at when
	 */
	public record RelayError(String kind, String message, @Nullable Instant at) {
	}

}
