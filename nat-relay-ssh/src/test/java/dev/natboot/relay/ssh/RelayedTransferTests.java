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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.natboot.relay.RelayState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data through a relayed connection, both ways, against MINA's SSH server on loopback: every byte arrives, in
 * order, with the relay server's window as wide as OpenSSH's or narrow enough that most data waits for it, and
 * across key re-exchanges; the local server's end of data reaches the client after all its data; a client that
 * stops reading holds the local server back instead of filling the relay's memory.
 */
class RelayedTransferTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final KeyPair hostKey = SshRelayTests.generate();

	private final KeyPair userKey = SshRelayTests.generate();

	private SshServer server;

	private ServerSocket local;

	private SshRelay relay;

	/** Keys the server established, the first exchange's included. */
	private final AtomicLong keyExchanges = new AtomicLong();

	@AfterEach
	void stop() throws IOException {
		if (this.relay != null) {
			this.relay.close(Duration.ofSeconds(1));
		}
		if (this.server != null) {
			this.server.stop(true);
		}
		if (this.local != null) {
			this.local.close();
		}
	}

	@ParameterizedTest
	@EnumSource
	void aDownloadArrivesWholeAndInOrderThenItsEnd(Server setting) throws Exception {
		int size = 24 * 1024 * 1024 + 12345;
		int port = relayTo(setting, (socket) -> {
			// Written, then closed at once: what is still waiting for the window goes before the end of data.
			writeRandom(socket, size, null);
		});
		try (Socket client = new Socket(LOOPBACK, port)) {
			InputStream in = client.getInputStream();
			MessageDigest received = sha256();
			long count = 0;
			byte[] chunk = new byte[65536];
			for (int read; (read = in.read(chunk)) >= 0;) {
				received.update(chunk, 0, read);
				count += read;
			}
			assertThat(count).isEqualTo(size);
			assertThat(received.digest()).isEqualTo(randomDigest(size));
		}
		assertKeyExchangesDuring(setting);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			RelayState state = this.relay.state();
			assertThat(state.openConnections()).isZero();
			assertThat(state.bytesOut()).isEqualTo(size);
		});
	}

	/** MINA's server closes a forwarded channel at its client's end of data (OpenSSH passes the half-close on,
	 * which the lab tests): here the local server reads as many bytes as it is told, then answers. */
	@ParameterizedTest
	@EnumSource
	void anUploadArrivesWholeAndInOrder(Server setting) throws Exception {
		int size = 8 * 1024 * 1024 + 777;
		int port = relayTo(setting, (socket) -> {
			try {
				MessageDigest digest = sha256();
				byte[] chunk = new byte[65536];
				InputStream in = socket.getInputStream();
				for (int left = size, read; left > 0 && (read = in.read(chunk, 0, Math.min(left, chunk.length))) >= 0; left -= read) {
					digest.update(chunk, 0, read);
				}
				socket.getOutputStream().write(HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				// the test fails on the client's side
			}
		});
		try (Socket client = new Socket(LOOPBACK, port)) {
			writeRandom(client, size, null);
			String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(answer).isEqualTo(HexFormat.of().formatHex(randomDigest(size)));
		}
		assertKeyExchangesDuring(setting);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.relay.state().bytesIn()).isEqualTo(size));
	}

	@Test
	void aClientThatStopsReadingHoldsTheLocalServerBack() throws Exception {
		int size = 192 * 1024 * 1024;
		AtomicLong written = new AtomicLong();
		int port = relayTo(Server.AS_OPENSSH, (socket) -> writeRandom(socket, size, written));
		try (Socket client = new Socket(LOOPBACK, port)) {
			InputStream in = client.getInputStream();
			assertThat(in.read()).isNotNegative();
			Thread.sleep(1500);
			// The relay server's window (2 MiB), the relay's bound (1 MiB and a read) and the sockets' buffers:
			// far less than all of it, which an unbounded relay would have read into its memory by now.
			long heldBack = written.get();
			assertThat(heldBack).isLessThan(48L * 1024 * 1024);
			long count = 1 + in.transferTo(OutputStream.nullOutputStream());
			assertThat(count).isEqualTo(size);
			System.out.println("while the client read nothing, the local server wrote " + heldBack / 1024 + " KiB");
		}
	}

	private void assertKeyExchangesDuring(Server setting) {
		if (setting == Server.FREQUENT_KEY_EXCHANGES) {
			assertThat(this.keyExchanges.get()).as("keys established").isGreaterThan(3);
		}
	}

	/** How the relay server treats the relay. */
	enum Server {

		/** A 2 MiB window per forwarded channel and 32 KiB packets, as OpenSSH has them. */
		AS_OPENSSH,

		/** A window so narrow that most of what the local server sends waits for the next adjustment. */
		NARROW_WINDOW,

		/** New keys every 2 MiB: packets the relay hands to the session during each key exchange wait for it. */
		FREQUENT_KEY_EXCHANGES

	}

	/** Starts the server, a local server running {@code serve} on each connection, and the relay to it. */
	private int relayTo(Server setting, Consumer<Socket> serve) throws Exception {
		this.server = SshServer.setUpDefaultServer();
		this.server.setHost("127.0.0.1");
		this.server.setKeyPairProvider(KeyPairProvider.wrap(this.hostKey));
		this.server.setPublickeyAuthenticator((username, key, session) -> key.equals(this.userKey.getPublic()));
		this.server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
		if (setting == Server.NARROW_WINDOW) {
			// What the server's side of each forwarded channel accepts before it widens the window again.
			CoreModuleProperties.WINDOW_SIZE.set(this.server, 48L * 1024);
			CoreModuleProperties.MAX_PACKET_SIZE.set(this.server, 5000L);
		}
		if (setting == Server.FREQUENT_KEY_EXCHANGES) {
			CoreModuleProperties.REKEY_BYTES_LIMIT.set(this.server, 2L * 1024 * 1024);
			this.server.addSessionListener(new SessionListener() {
				@Override
				public void sessionEvent(Session session, Event event) {
					if (event == Event.KeyEstablished) {
						RelayedTransferTests.this.keyExchanges.incrementAndGet();
					}
				}
			});
		}
		this.server.start();
		ServerSocket localServer = new ServerSocket(0, 50, LOOPBACK);
		this.local = localServer;
		Thread acceptor = new Thread(() -> {
			while (!localServer.isClosed()) {
				try (Socket socket = localServer.accept()) {
					serve.accept(socket);
				}
				catch (IOException ex) {
					// closed
				}
			}
		}, "local-server");
		acceptor.setDaemon(true);
		acceptor.start();
		SshRelayOptions options = SshRelayOptions.builder("127.0.0.1", "natboot")
			.port(this.server.getPort())
			.keys(List.of(this.userKey))
			.knownHosts(SshRelayTests.knownHosts(this.hostKey.getPublic()).replace("PORT", Integer.toString(this.server.getPort())))
			.remoteAddress("127.0.0.1")
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		this.relay = new SshRelay(options);
		SshRelayTests.Events events = new SshRelayTests.Events();
		this.relay.addListener(events);
		this.relay.open(new InetSocketAddress(LOOPBACK, localServer.getLocalPort()));
		RelayState connected = events.connected.poll(10, TimeUnit.SECONDS);
		assertThat(connected).isNotNull();
		String endpoint = connected.publicEndpoint();
		return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
	}

	/** Seeded pseudo-random bytes: the receiving side knows what to expect without holding it all. */
	private static void writeRandom(Socket socket, int size, AtomicLong written) {
		Random random = new Random(size);
		byte[] chunk = new byte[65536];
		try {
			OutputStream out = socket.getOutputStream();
			for (int left = size; left > 0;) {
				int length = Math.min(left, chunk.length);
				random.nextBytes(chunk);
				out.write(chunk, 0, length);
				left -= length;
				if (written != null) {
					written.addAndGet(length);
				}
			}
			out.flush();
		}
		catch (IOException ex) {
			// the test fails on the other side
		}
	}

	private static byte[] randomDigest(int size) {
		Random random = new Random(size);
		MessageDigest digest = sha256();
		byte[] chunk = new byte[65536];
		for (int left = size; left > 0;) {
			int length = Math.min(left, chunk.length);
			random.nextBytes(chunk);
			digest.update(chunk, 0, length);
			left -= length;
		}
		return digest.digest();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
