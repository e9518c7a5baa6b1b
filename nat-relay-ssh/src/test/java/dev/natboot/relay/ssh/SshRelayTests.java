package dev.natboot.relay.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.natboot.relay.RelayErrorKind;
import dev.natboot.relay.RelayException;
import dev.natboot.relay.RelayListener;
import dev.natboot.relay.RelayState;
import dev.natboot.relay.RelayStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay against MINA's own SSH server on loopback (the lab runs it against OpenSSH): a forward that reaches
 * the local server and is known as relayed there, the host key refused when unknown or changed, a user key
 * refused, a forward refused, a restarted server healed, and a stop bounded when the server never answers.
 */
class SshRelayTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	/** Where the test server binds forwards: a loopback address of its own, so the relay proves its forward. */
	private static final InetAddress RELAYED = address("127.0.0.2");

	private final KeyPair hostKey = generate();

	private final KeyPair userKey = generate();

	private SshServer server;

	private ServerSocket target;

	private final BlockingQueue<InetSocketAddress> peers = new LinkedBlockingQueue<>();

	private SshRelay relay;

	@BeforeEach
	void startTarget() throws IOException {
		ServerSocket echo = new ServerSocket(0, 50, LOOPBACK);
		this.target = echo;
		Thread thread = new Thread(() -> {
			while (!echo.isClosed()) {
				try (Socket socket = echo.accept()) {
					this.peers.add((InetSocketAddress) socket.getRemoteSocketAddress());
					InputStream in = socket.getInputStream();
					byte[] line = new byte[5];
					int read = in.readNBytes(line, 0, 5);
					OutputStream out = socket.getOutputStream();
					out.write(("echo:" + new String(line, 0, read, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
				catch (IOException ex) {
					// next
				}
			}
		}, "target");
		thread.setDaemon(true);
		thread.start();
	}

	@AfterEach
	void stop() throws IOException {
		if (this.relay != null) {
			this.relay.close(Duration.ofSeconds(1));
		}
		if (this.server != null) {
			this.server.stop(true);
		}
		this.target.close();
	}

	@Test
	void aConnectionToTheRelayedPortReachesTheLocalServerAndIsKnownThereAsRelayed() throws Exception {
		startServer(0, true);
		Events events = new Events();
		this.relay = relay(knownHosts(this.hostKey.getPublic()), this.userKey);
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		RelayState connected = events.connected.poll(10, TimeUnit.SECONDS);
		assertThat(connected).isNotNull();
		assertThat(connected.publicEndpoint()).startsWith("127.0.0.2:"); // the address the forward is bound to
		assertThat(connected.server()).isEqualTo("ssh://natboot@127.0.0.1:" + this.server.getPort());
		int port = Integer.parseInt(connected.publicEndpoint().substring(connected.publicEndpoint().indexOf(':') + 1));
		// The relay proved its forward with a connection of its own: that one came through as relayed too.
		InetSocketAddress proof = this.peers.poll(5, TimeUnit.SECONDS);
		assertThat(proof).isNotNull();
		try (Socket client = new Socket(RELAYED, port)) {
			client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
			assertThat(new String(client.getInputStream().readNBytes(10), StandardCharsets.US_ASCII)).isEqualTo("echo:hello");
			InetSocketAddress peer = this.peers.poll(5, TimeUnit.SECONDS);
			assertThat(peer).isNotNull();
		}
		try (Socket direct = new Socket(LOOPBACK, this.target.getLocalPort())) {
			assertThat(this.relay.isRelayed((InetSocketAddress) direct.getLocalSocketAddress())).isFalse();
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			RelayState state = this.relay.state();
			assertThat(state.connections()).isEqualTo(2);
			assertThat(state.openConnections()).isZero();
			assertThat(state.bytesIn()).isEqualTo(5);
			// "echo:hello" through the client's connection; the proof's connection closed at once, so the
			// target's "echo:" to it may or may not have been sent before its channel closed.
			assertThat(state.bytesOut()).isBetween(10L, 15L);
		});
		assertThat(this.relay.state().status()).isEqualTo(RelayStatus.CONNECTED);
		assertThat(this.relay.state().connectedIn()).isNotNull();
	}

	/** What the management shield relies on: when the local server reads a relayed connection's first byte, it
	 * can tell the connection as relayed. */
	@Test
	void whenTheLocalServerReadsTheFirstByteTheConnectionIsKnownAsRelayed() throws Exception {
		// A server of its own: the echo server of every test must not take these connections.
		ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
		BlockingQueue<Boolean> relayedAtFirstByte = new LinkedBlockingQueue<>();
		startServer(0, true);
		Events events = new Events();
		this.relay = relay(knownHosts(this.hostKey.getPublic()), this.userKey);
		this.relay.addListener(events);
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					Socket socket = server.accept();
					Thread reader = new Thread(() -> {
						try (socket) {
							if (socket.getInputStream().read() >= 0) {
								relayedAtFirstByte.add(this.relay.isRelayed((InetSocketAddress) socket.getRemoteSocketAddress()));
							}
						}
						catch (IOException ex) {
							// next
						}
					});
					reader.setDaemon(true);
					reader.start();
				}
			}
			catch (IOException ex) {
				// closed
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		this.relay.open(new InetSocketAddress(LOOPBACK, server.getLocalPort()));
		RelayState connected = events.connected.poll(10, TimeUnit.SECONDS);
		int port = Integer.parseInt(connected.publicEndpoint().substring(connected.publicEndpoint().indexOf(':') + 1));
		for (int i = 0; i < 20; i++) {
			try (Socket client = new Socket(RELAYED, port)) {
				client.getOutputStream().write('x');
				assertThat(relayedAtFirstByte.poll(5, TimeUnit.SECONDS)).as("connection %d", i).isTrue();
			}
		}
		try (Socket direct = new Socket(LOOPBACK, server.getLocalPort())) {
			direct.getOutputStream().write('x');
			assertThat(relayedAtFirstByte.poll(5, TimeUnit.SECONDS)).isFalse();
		}
		server.close();
	}

	@Test
	void aListenerThatThrowsNeitherTearsDownTheRelayNorSilencesTheOthers() throws Exception {
		startServer(0, true);
		this.relay = relay(knownHosts(this.hostKey.getPublic()), this.userKey);
		this.relay.addListener(new RelayListener() {
			@Override
			public void relayConnected(RelayState state) {
				throw new IllegalStateException("a listener's own bug");
			}
		});
		Events events = new Events();
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		assertThat(events.connected.poll(10, TimeUnit.SECONDS)).isNotNull();
		Thread.sleep(300);
		assertThat(this.relay.state().status()).isEqualTo(RelayStatus.CONNECTED);
		assertThat(events.lost).isEmpty();
	}

	@Test
	void releasedAndOpenedAgainIsNotAReconnect() throws Exception {
		startServer(0, true);
		Events events = new Events();
		this.relay = relay(knownHosts(this.hostKey.getPublic()), this.userKey);
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		assertThat(events.connected.poll(10, TimeUnit.SECONDS)).isNotNull();
		this.relay.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.relay.state().status() == RelayStatus.STANDBY);
		this.relay.open(targetAddress());
		RelayState again = events.connected.poll(10, TimeUnit.SECONDS);
		assertThat(again).isNotNull();
		assertThat(again.reconnects()).isZero();
		assertThat(events.lost).isEmpty();
	}

	@Test
	void anUnknownHostKeyIsRefusedAndNothingConnects() throws Exception {
		startServer(0, true);
		Events events = new Events();
		this.relay = relay(knownHosts(generate().getPublic()), this.userKey);
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		RelayException cause = events.lost.poll(10, TimeUnit.SECONDS);
		assertThat(cause).isNotNull();
		assertThat(cause.kind()).isEqualTo(RelayErrorKind.HOST_KEY_CHANGED);
		assertThat(cause.getMessage()).contains("not the one the known hosts hold", "SHA256:");
		assertThat(this.relay.state().status()).isEqualTo(RelayStatus.DISCONNECTED);
		assertThat(this.relay.state().lastErrorKind()).isEqualTo(RelayErrorKind.HOST_KEY_CHANGED);
		// The server saw a TCP connection and a key exchange, never a login.
		assertThat(this.server.getActiveSessions()).noneMatch(org.apache.sshd.common.session.Session::isAuthenticated);
	}

	@Test
	void aHostWithNoLineInTheKnownHostsIsUnknown() throws Exception {
		startServer(0, true);
		Events events = new Events();
		String otherHost = "[192.0.2.99]:22 " + PublicKeyEntry.toString(this.hostKey.getPublic()) + "\n";
		this.relay = relay(otherHost, this.userKey);
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		RelayException cause = events.lost.poll(10, TimeUnit.SECONDS);
		assertThat(cause.kind()).isEqualTo(RelayErrorKind.HOST_KEY_UNKNOWN);
		assertThat(cause.getMessage()).contains("is not in the known hosts", "ssh-keyscan -p " + this.server.getPort());
	}

	@Test
	void aUserKeyTheServerDoesNotKnowIsRefusedByName() throws Exception {
		startServer(0, true);
		Events events = new Events();
		this.relay = relay(knownHosts(this.hostKey.getPublic()), generate());
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		RelayException cause = events.lost.poll(10, TimeUnit.SECONDS);
		assertThat(cause.kind()).isEqualTo(RelayErrorKind.AUTHENTICATION_FAILED);
		assertThat(cause.getMessage()).contains("refused user 'natboot'", "SHA256:", "authorized_keys");
		// One event for the failure, not one per retry: retries of an error a person must fix are slow anyway.
		assertThat(events.lost.poll(500, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void aForwardTheServerRefusesIsTold() throws Exception {
		startServer(0, false);
		Events events = new Events();
		this.relay = relay(knownHosts(this.hostKey.getPublic()), this.userKey);
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		RelayException cause = events.lost.poll(10, TimeUnit.SECONDS);
		assertThat(cause.kind()).isEqualTo(RelayErrorKind.FORWARD_REFUSED);
		assertThat(cause.getMessage()).contains("refused to forward a port");
	}

	@Test
	void aRestartedServerIsUsedAgainWithinASecondOfBeingBack() throws Exception {
		startServer(0, true);
		int sshPort = this.server.getPort();
		Events events = new Events();
		this.relay = relay(knownHosts(this.hostKey.getPublic()), this.userKey);
		this.relay.addListener(events);
		this.relay.open(targetAddress());
		assertThat(events.connected.poll(10, TimeUnit.SECONDS)).isNotNull();
		this.server.stop(true);
		RelayException lost = events.lost.poll(5, TimeUnit.SECONDS);
		assertThat(lost).isNotNull();
		Thread.sleep(1500); // a few retries fail while it is away
		long back = System.nanoTime();
		startServer(sshPort, true);
		RelayState again = events.connected.poll(5, TimeUnit.SECONDS);
		long healedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
		System.out.println("relay healed " + healedMillis + " ms after the server was back");
		assertThat(again).isNotNull();
		assertThat(again.reconnects()).isEqualTo(1);
		assertThat(healedMillis).isLessThan(2000);
	}

	@Test
	void closeIsBoundedWhenTheServerNeverAnswers() throws Exception {
		try (ServerSocket tarpit = new ServerSocket(0, 50, LOOPBACK)) {
			SshRelayOptions options = SshRelayOptions.builder("127.0.0.1", "natboot")
				.port(tarpit.getLocalPort())
				.keys(List.of(this.userKey))
				.knownHosts(knownHosts(this.hostKey.getPublic()).replace("PORT", Integer.toString(tarpit.getLocalPort())))
				.connectTimeout(Duration.ofSeconds(30))
				.build();
			this.relay = new SshRelay(options);
			this.relay.open(targetAddress());
			Thread.sleep(300);
			assertThat(this.relay.state().status()).isEqualTo(RelayStatus.CONNECTING);
			long start = System.nanoTime();
			this.relay.close(Duration.ofMillis(500));
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
			assertThat(this.relay.state().status()).isEqualTo(RelayStatus.CLOSED);
			this.relay = null;
		}
	}

	@Test
	void optionsAndStateNeverPrintTheKeys() {
		SshRelayOptions options = SshRelayOptions.builder("relay.example", "me").keys(List.of(this.userKey))
			.knownHosts("relay.example " + PublicKeyEntry.toString(this.hostKey.getPublic()))
			.build();
		assertThat(options.toString()).doesNotContain("Key", "key=").contains("ssh://me@relay.example:22");
	}

	private void startServer(int port, boolean allowForwarding) throws IOException {
		this.server = SshServer.setUpDefaultServer();
		this.server.setHost("127.0.0.1");
		this.server.setPort(port);
		this.server.setKeyPairProvider(KeyPairProvider.wrap(this.hostKey));
		PublicKey allowed = this.userKey.getPublic();
		this.server.setPublickeyAuthenticator((username, key, session) -> username.equals("natboot") && key.equals(allowed));
		this.server.setForwardingFilter(allowForwarding ? AcceptAllForwardingFilter.INSTANCE : RejectAllForwardingFilter.INSTANCE);
		this.server.start();
	}

	private SshRelay relay(String knownHosts, KeyPair key) {
		SshRelayOptions options = SshRelayOptions.builder("127.0.0.1", "natboot")
			.port(this.server.getPort())
			.keys(List.of(key))
			.knownHosts(knownHosts.replace("PORT", Integer.toString(this.server.getPort())))
			.remoteAddress("127.0.0.2")
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		return new SshRelay(options);
	}

	static String knownHosts(PublicKey key) {
		return "[127.0.0.1]:PORT " + PublicKeyEntry.toString(key) + "\n";
	}

	private InetSocketAddress targetAddress() {
		return new InetSocketAddress(LOOPBACK, this.target.getLocalPort());
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			return generator.generateKeyPair();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static final class Events implements RelayListener {

		final BlockingQueue<RelayState> connected = new LinkedBlockingQueue<>();

		final BlockingQueue<RelayException> lost = new LinkedBlockingQueue<>();

		@Override
		public void relayConnected(RelayState state) {
			this.connected.add(state);
		}

		@Override
		public void relayLost(RelayState state, RelayException cause) {
			this.lost.add(cause);
		}

	}

}
