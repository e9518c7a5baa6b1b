package dev.natboot.relay.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.BuiltinFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.jspecify.annotations.Nullable;

import dev.natboot.relay.RelayErrorKind;
import dev.natboot.relay.RelayException;

/**
 * The SSH steps of one relay connection, each bounded by the connect timeout and each failure told as a typed
 * {@link RelayException}: log in (host key verified), ask for the forward, prove it from here. Blocking: called on
 * the relay's own thread.
 */
final class SshConnector {

	static final int KEEPALIVES_UNANSWERED = 3;

	private final SshRelayOptions options;

	private final RelayTraffic traffic;

	private final @Nullable KnownHostsVerifier verifier;

	private @Nullable SshClient client;

	SshConnector(SshRelayOptions options, RelayTraffic traffic) {
		this.options = options;
		this.traffic = traffic;
		String knownHosts = options.knownHosts();
		this.verifier = (options.strictHostKeyChecking() && knownHosts != null)
				? new KnownHostsVerifier(knownHosts, options.host(), options.port()) : null;
		if (this.verifier != null && this.verifier.size() == 0) {
			throw new IllegalArgumentException("The relay's known hosts hold no host key: add the server's line "
					+ "(ssh-keyscan -p " + options.port() + " " + options.host() + ")");
		}
	}

	ClientSession login() throws IOException {
		SshClient ssh = client();
		Duration timeout = this.options.connectTimeout();
		ConnectFuture connecting = ssh.connect(this.options.username(), this.options.host(), this.options.port());
		if (!connecting.await(timeout)) {
			connecting.cancel();
			throw new RelayException(RelayErrorKind.SERVER_UNREACHABLE, "The relay server " + where()
					+ " did not answer within " + timeout.toMillis() + " ms");
		}
		if (!connecting.isConnected()) {
			Throwable cause = connecting.getException();
			throw new RelayException(RelayErrorKind.SERVER_UNREACHABLE, "The relay server " + where()
					+ " cannot be reached: " + describe(cause), cause);
		}
		ClientSession opened = connecting.getSession();
		try {
			for (KeyPair key : this.options.keys()) {
				opened.addPublicKeyIdentity(key);
			}
			AuthFuture auth = opened.auth();
			boolean done = auth.await(timeout);
			RelayException hostKey = (this.verifier != null) ? this.verifier.rejection() : null;
			if (hostKey != null) {
				throw hostKey;
			}
			if (!done) {
				throw new RelayException(RelayErrorKind.SSH_ERROR, "The relay server " + where()
						+ " did not finish key exchange and authentication within " + timeout.toMillis() + " ms");
			}
			if (!auth.isSuccess()) {
				throw new RelayException(RelayErrorKind.AUTHENTICATION_FAILED, "The relay server " + where()
						+ " refused user '" + this.options.username() + "' with key " + fingerprints()
						+ ": add the public key to that user's authorized_keys on the server");
			}
			return opened;
		}
		catch (IOException | RuntimeException ex) {
			opened.close(true);
			RelayException hostKey = (this.verifier != null) ? this.verifier.rejection() : null;
			if (hostKey != null) {
				throw hostKey;
			}
			throw ex;
		}
	}

	SshdSocketAddress forward(ClientSession opened, InetSocketAddress target) throws RelayException {
		SshdSocketAddress remote = new SshdSocketAddress(this.options.remoteAddress(), this.options.remotePort());
		try {
			return opened.startRemotePortForwarding(remote,
					new SshdSocketAddress(target.getAddress().getHostAddress(), target.getPort()));
		}
		catch (IOException | RuntimeException ex) {
			String port = (this.options.remotePort() == 0) ? "a port" : "port " + this.options.remotePort();
			throw new RelayException(RelayErrorKind.FORWARD_REFUSED, "The relay server " + where()
					+ " refused to forward " + port + ": the port is taken, or its sshd_config forbids it "
					+ "(AllowTcpForwarding, PermitListen)", ex);
		}
	}

	/**
	 * Connects to the forward's public endpoint from here. OpenSSH silently binds a forward to its loopback when
	 * {@code GatewayPorts} is {@code no}, its default, and a firewall in front of the server drops what it was
	 * not told to pass: both look like a working relay to the SSH protocol and are found only this way.
	 */
	void proveForward(String host, int port) throws RelayException {
		if (this.options.bindsLoopbackOnly()) {
			return;
		}
		int timeout = (int) Math.min(this.options.connectTimeout().toMillis(), 3000);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), timeout);
		}
		catch (ConnectException ex) {
			throw new RelayException(RelayErrorKind.FORWARD_REFUSED, "The relay server " + where() + " accepted the "
					+ "forward but listens on port " + port + " only on its loopback: set 'GatewayPorts clientspecified' "
					+ "(or yes) in its sshd_config", ex);
		}
		catch (SocketTimeoutException ex) {
			throw new RelayException(RelayErrorKind.FORWARD_REFUSED, "The relay server " + where() + " accepted the "
					+ "forward, but nothing answers at " + host + ":" + port + " from here within "
					+ timeout + " ms: a firewall in front of the server drops it?", ex);
		}
		catch (IOException ex) {
			throw new RelayException(RelayErrorKind.FORWARD_REFUSED, "The relay's forward at " + host + ":" + port + " cannot be reached from here: " + describe(ex), ex);
		}
	}

	private SshClient client() {
		SshClient ssh = this.client;
		if (ssh == null) {
			ssh = SshClient.setUpDefaultClient();
			// Only what natboot was given: no ~/.ssh/config redirecting the host, no ~/.ssh/id_* keys, no password.
			ssh.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
			ssh.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
			ssh.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
			ssh.setServerKeyVerifier((this.verifier != null) ? this.verifier : AcceptAllServerKeyVerifier.INSTANCE);
			// The server may open forwarded connections to the target natboot registered, nothing else (no agent,
			// no X11, no direct connections).
			ssh.setChannelFactories(List.of(new RelayedChannel.Factory(this.traffic)));
			ssh.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
			// AES-GCM first: the JDK runs it on the CPU's AES and carry-less multiply instructions; MINA's default
			// first, ChaCha20-Poly1305, runs in plain Java at a third of the throughput (and AES-CTR with an HMAC
			// measured slower than GCM too).
			List<BuiltinCiphers> ciphers = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
					BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh);
			ssh.setCipherFactories(BuiltinFactory.setUpFactories(false, ciphers));
			// As OpenSSH does for forwarded connections: without it every small answer waits out a delayed ACK.
			CoreModuleProperties.TCP_NODELAY.set(ssh, true);
			// Each open forwarded connection is read into one buffer of this size (32 KiB by default), and each
			// read is cut into packets at once (LocalToRelay): bigger reads, fewer trips through the I/O threads.
			// With MINA's own channel 1 MiB measured only ~15 % faster than 256 KiB, for four times the memory.
			CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(ssh, 256 * 1024);
			CoreModuleProperties.HEARTBEAT_INTERVAL.set(ssh, this.options.keepaliveInterval());
			CoreModuleProperties.HEARTBEAT_REQUEST.set(ssh, "keepalive@openssh.com");
			CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(ssh, KEEPALIVES_UNANSWERED);
			CoreModuleProperties.FORWARD_REQUEST_TIMEOUT.set(ssh, this.options.connectTimeout());
			ssh.setIoServiceFactoryFactory(
					new Nio2ServiceFactoryFactory(() -> ThreadUtils.newFixedThreadPool("nat-relay-io", 2)));
			ssh.start();
			this.client = ssh;
		}
		return ssh;
	}

	void close(Duration timeout) {
		SshClient ssh = this.client;
		if (ssh != null) {
			try {
				ssh.close(true).await(timeout);
			}
			catch (IOException ex) {
				// the JVM is going anyway
			}
		}
	}

	private String fingerprints() {
		return String.join(", ", this.options.keys().stream().map((key) -> KeyUtils.getFingerPrint(key.getPublic())).toList());
	}

	private String where() {
		return this.options.host() + ":" + this.options.port();
	}

	/** An exception's own words, without a stack or a cause chain that might carry what it was given. */
	static String describe(@Nullable Throwable ex) {
		Throwable cause = ex;
		// MINA wraps what the JDK said (ExecutionException, RuntimeSshException): the innermost is what users need.
		for (int depth = 0; cause != null && cause.getCause() != null && depth < 8; depth++) {
			cause = cause.getCause();
		}
		if (cause == null) {
			return "no reason given";
		}
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
