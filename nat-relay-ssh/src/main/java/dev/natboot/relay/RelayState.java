package dev.natboot.relay;

import java.net.InetSocketAddress;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A relay as it stands: what health, the endpoint and events show.
 *
 * @param status where it stands
 * @param server the relay server, as {@code ssh://USER@HOST:PORT} (never a secret)
 * @param publicAddress where the internet reaches the server through the relay (host as configured, unresolved);
 * {@code null} unless connected
 * @param since when the status last changed
 * @param connectedIn how long the last successful connect took (TCP, key exchange, authentication, forward),
 * {@code null} before the first
 * @param reconnects how many times it connected again after losing the connection
 * @param lastError the most recent failure, {@code null} if none since the last connect
 * @param lastErrorKind its kind
 * @param lastErrorAt when it happened
 * @param connections relayed connections accepted so far
 * @param openConnections relayed connections open now
 * @param bytesIn bytes relayed to the server
 * @param bytesOut bytes relayed from the server
 */
public record RelayState(RelayStatus status, String server, @Nullable InetSocketAddress publicAddress, Instant since,
		java.time.@Nullable Duration connectedIn, long reconnects, @Nullable String lastError,
		@Nullable RelayErrorKind lastErrorKind, @Nullable Instant lastErrorAt, long connections, int openConnections,
		long bytesIn, long bytesOut) {

	public boolean isConnected() {
		return this.status == RelayStatus.CONNECTED;
	}

	/**
	 * The public endpoint as users write it.
	 * @return {@code HOST:PORT} ({@code [IPV6]:PORT}), {@code null} unless connected
	 */
	public @Nullable String publicEndpoint() {
		InetSocketAddress address = this.publicAddress;
		if (address == null) {
			return null;
		}
		String host = address.getHostString();
		return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + address.getPort();
	}

}
