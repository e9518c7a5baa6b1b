package dev.natboot.lab.driver;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import dev.natboot.relay.RelayListener;
import dev.natboot.relay.RelayState;
import dev.natboot.relay.ssh.SshKeys;
import dev.natboot.relay.ssh.SshRelay;
import dev.natboot.relay.ssh.SshRelayOptions;

/**
 * natboot's SSH relay inside the lab's LAN namespace, forwarding a port of the lab's sshd to a local server of its
 * own that, on each connection, reads what the client sends until the client's end of data, answers with the
 * SHA-256 of it on one line, then sends DOWNLOAD_BYTES seeded pseudo-random bytes and closes. Prints
 * {@code ready=HOST:PORT}, then {@code upload=BYTES HEX download=HEX} per connection; relays until standard input
 * closes. Never run outside the lab.
 *
 * <pre>RelayDriver HOST USER KEY_FILE KNOWN_HOSTS_FILE REMOTE_PORT DOWNLOAD_BYTES</pre>
 */
public final class RelayDriver {

	private RelayDriver() {
	}

	public static void main(String[] args) throws Exception {
		int downloadBytes = Integer.parseInt(args[5]);
		ServerSocket local = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread server = new Thread(() -> serve(local, downloadBytes), "local-server");
		server.setDaemon(true);
		server.start();
		SshRelayOptions options;
		try (InputStream key = new FileInputStream(args[2])) {
			options = SshRelayOptions.builder(args[0], args[1])
				.keys(SshKeys.read(args[2], key, null))
				.knownHosts(Files.readString(Path.of(args[3])))
				.remotePort(Integer.parseInt(args[4]))
				.build();
		}
		SshRelay relay = new SshRelay(options);
		CountDownLatch connected = new CountDownLatch(1);
		relay.addListener(new RelayListener() {
			@Override
			public void relayConnected(RelayState state) {
				System.out.println("ready=" + state.publicEndpoint());
				connected.countDown();
			}
		});
		relay.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), local.getLocalPort()));
		connected.await();
		while (System.in.read() >= 0) {
			// relaying until the test closes our standard input
		}
		relay.close(Duration.ofSeconds(2));
	}

	private static void serve(ServerSocket local, int downloadBytes) {
		while (!local.isClosed()) {
			try {
				Socket socket = local.accept();
				Thread connection = new Thread(() -> answer(socket, downloadBytes), "connection");
				connection.setDaemon(true);
				connection.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static void answer(Socket connection, int downloadBytes) {
		try (Socket socket = connection) {
			MessageDigest upload = MessageDigest.getInstance("SHA-256");
			long uploaded = 0;
			byte[] chunk = new byte[65536];
			InputStream in = socket.getInputStream();
			for (int read; (read = in.read(chunk)) >= 0;) {
				upload.update(chunk, 0, read);
				uploaded += read;
			}
			String uploadDigest = HexFormat.of().formatHex(upload.digest());
			OutputStream out = socket.getOutputStream();
			out.write((uploadDigest + "\n").getBytes(StandardCharsets.US_ASCII));
			MessageDigest download = MessageDigest.getInstance("SHA-256");
			Random random = new Random(downloadBytes);
			for (int left = downloadBytes; left > 0;) {
				int length = Math.min(left, chunk.length);
				random.nextBytes(chunk);
				out.write(chunk, 0, length);
				download.update(chunk, 0, length);
				left -= length;
			}
			out.flush();
			System.out.println("upload=" + uploaded + " " + uploadDigest
					+ " download=" + HexFormat.of().formatHex(download.digest()));
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			System.out.println("failed=" + ex);
		}
	}

}
