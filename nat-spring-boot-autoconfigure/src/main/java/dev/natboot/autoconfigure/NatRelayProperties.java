package dev.natboot.autoconfigure;

import java.time.Duration;

import dev.natboot.relay.RelayMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The relay fallback: the web server reachable through a reverse tunnel to an SSH server the user controls
 * (OpenSSH's {@code ssh -R}, kept up by natboot), when no mapping makes it reachable. Needs {@code nat-relay-ssh}
 * on the class path and {@code nat.relay.ssh.host} set.
 */
@ConfigurationProperties("nat.relay")
public class NatRelayProperties {

	/**
	 * When the relay is used: fallback (only while no mapping makes the web server reachable: no router that
	 * maps, carrier-grade or double NAT, a mapping found unreachable from outside; released once a mapping is
	 * reachable again), always, or never.
	 */
	private RelayMode mode = RelayMode.FALLBACK;

	private final Ssh ssh = new Ssh();

	public RelayMode getMode() {
		return this.mode;
	}

	public void setMode(RelayMode mode) {
		this.mode = mode;
	}

	public Ssh getSsh() {
		return this.ssh;
	}

	/**
	 * The SSH server that relays: a remote forward (RFC 4254 tcpip-forward) from a port on it to the web server.
	 */
	public static class Ssh {

		/**
		 * Host name or address of the SSH server. The relay is configured only when it is set. It is also the host
		 * of the public endpoint unless remote-address names one.
		 */
		private @Nullable String host;

		/**
		 * SSH port of the server.
		 */
		private int port = 22;

		/**
		 * User to log in as.
		 */
		private @Nullable String username;

		/**
		 * Private key of that user (OpenSSH or PEM format, as ssh-keygen writes it), as a resource location such
		 * as file:/etc/myapp/relay_key. RSA and ECDSA keys work with the JDK alone; Ed25519 keys need
		 * net.i2p.crypto:eddsa or Bouncy Castle on the class path. Never logged or shown by natboot.
		 */
		private @Nullable Resource privateKey;

		/**
		 * Passphrase of the private key, if it is encrypted. Never logged or shown by natboot.
		 */
		private @Nullable String privateKeyPassphrase;

		/**
		 * Host keys of the server, in OpenSSH known_hosts format (ssh-keyscan -p PORT HOST writes them), as a
		 * resource location. Required: the server's host key is verified before anything is sent to it.
		 */
		private @Nullable Resource knownHosts;

		/**
		 * Whether to verify the server's host key. false accepts any server that answers at host, which lets
		 * anyone on the path impersonate the relay: logged as a warning at every start.
		 */
		private boolean strictHostKeyChecking = true;

		/**
		 * Port on the server that the internet connects to; 0 lets the server choose a free one (shown in the
		 * startup line, health and the endpoint).
		 */
		private int remotePort;

		/**
		 * Address on the server the forward is bound to. Empty: all its interfaces, which needs GatewayPorts
		 * clientspecified (or yes) in the server's sshd_config; localhost: its loopback only, for a proxy running
		 * on the server.
		 */
		private String remoteAddress = "";

		/**
		 * Time between two keepalives to the server; three unanswered in a row end the connection, and a
		 * reconnect begins.
		 */
		private Duration keepaliveInterval = Duration.ofSeconds(15);

		/**
		 * Longest wait for each step of a connect: the TCP connection, key exchange and authentication, the
		 * forward.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable Resource getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable Resource privateKey) {
			this.privateKey = privateKey;
		}

		public @Nullable String getPrivateKeyPassphrase() {
			return this.privateKeyPassphrase;
		}

		public void setPrivateKeyPassphrase(@Nullable String privateKeyPassphrase) {
			this.privateKeyPassphrase = privateKeyPassphrase;
		}

		public @Nullable Resource getKnownHosts() {
			return this.knownHosts;
		}

		public void setKnownHosts(@Nullable Resource knownHosts) {
			this.knownHosts = knownHosts;
		}

		public boolean isStrictHostKeyChecking() {
			return this.strictHostKeyChecking;
		}

		public void setStrictHostKeyChecking(boolean strictHostKeyChecking) {
			this.strictHostKeyChecking = strictHostKeyChecking;
		}

		public int getRemotePort() {
			return this.remotePort;
		}

		public void setRemotePort(int remotePort) {
			this.remotePort = remotePort;
		}

		public String getRemoteAddress() {
			return this.remoteAddress;
		}

		public void setRemoteAddress(String remoteAddress) {
			this.remoteAddress = remoteAddress;
		}

		public Duration getKeepaliveInterval() {
			return this.keepaliveInterval;
		}

		public void setKeepaliveInterval(Duration keepaliveInterval) {
			this.keepaliveInterval = keepaliveInterval;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

	}

}
