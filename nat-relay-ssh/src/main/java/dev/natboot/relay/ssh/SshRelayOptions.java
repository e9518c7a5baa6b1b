package dev.natboot.relay.ssh;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How to reach the relay server and what to ask of it. Build with {@link #builder(String, String)}.
 *
 * @param host the SSH server (a name or an address); also the host of the public endpoint
 * @param port its SSH port
 * @param username the user to log in as
 * @param keys the user's key pairs, tried in order
 * @param knownHosts the known hosts lines (OpenSSH {@code known_hosts} format) the server's host key must be in;
 * {@code null} only when {@code strictHostKeyChecking} is false
 * @param strictHostKeyChecking false to accept any host key (logged as a warning by the caller)
 * @param remoteAddress the address the server binds the forward to: empty for all its interfaces (needs
 * {@code GatewayPorts clientspecified} or {@code yes}), {@code localhost} for its loopback only
 * @param remotePort the port on the server, 0 to let the server choose
 * @param keepaliveInterval how often to ask the server whether it is still there; 3 unanswered in a row end the
 * connection (and a reconnect begins)
 * @param connectTimeout the longest wait for each of: the TCP connection, key exchange and authentication, the
 * forward
 * @param maxRetryInterval the longest pause between two attempts while the server stays away
 */
public record SshRelayOptions(String host, int port, String username, List<KeyPair> keys,
		@Nullable String knownHosts, boolean strictHostKeyChecking, String remoteAddress, int remotePort,
		Duration keepaliveInterval, Duration connectTimeout, Duration maxRetryInterval) {

	public SshRelayOptions {
		Objects.requireNonNull(host, "host");
		Objects.requireNonNull(username, "username");
		keys = List.copyOf(keys);
		if (host.isBlank()) {
			throw new IllegalArgumentException("The relay server's host is empty");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("The relay server's SSH port must be 1-65535: " + port);
		}
		if (remotePort < 0 || remotePort > 65535) {
			throw new IllegalArgumentException("The relay's remote port must be 0-65535: " + remotePort);
		}
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("The relay needs at least one private key");
		}
		if (strictHostKeyChecking && knownHosts == null) {
			throw new IllegalArgumentException("The relay needs the server's known hosts to verify its host key");
		}
		if (keepaliveInterval.isNegative() || connectTimeout.isNegative() || connectTimeout.isZero()
				|| maxRetryInterval.isNegative() || maxRetryInterval.isZero()) {
			throw new IllegalArgumentException("The relay's intervals and timeouts must be positive");
		}
	}

	/**
	 * Options with the defaults: port 22, strict host key checking, every interface of the server, a port it
	 * chooses, a keepalive every 15 s, a connect timeout of 10 s, retries at most every 2 minutes.
	 * @param host the SSH server
	 * @param username the user
	 * @return a builder
	 */
	public static Builder builder(String host, String username) {
		return new Builder(host, username);
	}

	/** The server as users name it: {@code ssh://USER@HOST:PORT}, no secret in it. */
	public String serverUri() {
		String shown = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return "ssh://" + this.username + "@" + shown + ":" + this.port;
	}

	/** Whether the forward is bound to the server's loopback only (a proxy on the server in front of it). */
	boolean bindsLoopbackOnly() {
		String address = this.remoteAddress.trim();
		return address.equals("localhost") || address.equals("127.0.0.1") || address.equals("::1");
	}

	@Override
	public String toString() {
		// Records print every component: keep the keys out of logs and exception messages.
		return "SshRelayOptions[" + serverUri() + ", remote " + this.remoteAddress + ":" + this.remotePort + "]";
	}

	/** Builds {@link SshRelayOptions}. */
	public static final class Builder {

		private final String host;

		private final String username;

		private int port = 22;

		private List<KeyPair> keys = List.of();

		private @Nullable String knownHosts;

		private boolean strictHostKeyChecking = true;

		private String remoteAddress = "";

		private int remotePort;

		private Duration keepaliveInterval = Duration.ofSeconds(15);

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration maxRetryInterval = Duration.ofMinutes(2);

		private Builder(String host, String username) {
			this.host = host;
			this.username = username;
		}

		public Builder port(int port) {
			this.port = port;
			return this;
		}

		public Builder keys(List<KeyPair> keys) {
			this.keys = keys;
			return this;
		}

		public Builder knownHosts(@Nullable String knownHosts) {
			this.knownHosts = knownHosts;
			return this;
		}

		public Builder strictHostKeyChecking(boolean strict) {
			this.strictHostKeyChecking = strict;
			return this;
		}

		public Builder remoteAddress(String remoteAddress) {
			this.remoteAddress = remoteAddress;
			return this;
		}

		public Builder remotePort(int remotePort) {
			this.remotePort = remotePort;
			return this;
		}

		public Builder keepaliveInterval(Duration keepaliveInterval) {
			this.keepaliveInterval = keepaliveInterval;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder maxRetryInterval(Duration maxRetryInterval) {
			this.maxRetryInterval = maxRetryInterval;
			return this;
		}

		public SshRelayOptions build() {
			return new SshRelayOptions(this.host, this.port, this.username, this.keys, this.knownHosts,
					this.strictHostKeyChecking, this.remoteAddress, this.remotePort, this.keepaliveInterval,
					this.connectTimeout, this.maxRetryInterval);
		}

	}

}
