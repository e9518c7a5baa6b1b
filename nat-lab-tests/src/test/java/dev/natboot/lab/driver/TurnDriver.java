package dev.natboot.lab.driver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import dev.natboot.core.NatException;
import dev.natboot.core.turn.TurnAllocation;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnDatagram;
import dev.natboot.core.turn.TurnException;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnPeerConnection;
import dev.natboot.core.turn.TurnServer;

/**
 * Drives nat-core's TURN client inside the lab's LAN namespace, for TurnLabTests; prints {@code key=value}
 * lines. Never run outside the lab.
 *
 * <pre>
 * udp URI PASSWORD PEER_HOST PEER_PORT [PAUSE_MS]   allocate, permission, Send, channel, ChannelData, refresh, close
 * tcp URI PASSWORD HOST PORT                        allocate a TCP relay, connect to HOST:PORT, HTTP GET /
 * </pre>
 */
public final class TurnDriver {

	private TurnDriver() {
	}

	public static void main(String[] args) throws Exception {
		TurnServer server = TurnServer.parse(args[1]);
		TurnCredentials credentials = TurnCredentials.of("natlab", args[2]);
		InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(args[3]), Integer.parseInt(args[4]));
		try {
			switch (args[0]) {
				case "udp" -> udp(server, credentials, peer, (args.length > 5) ? Long.parseLong(args[5]) : 0);
				case "tcp" -> tcp(server, credentials, peer);
				case "accept" -> accept(server, credentials, peer);
				default -> throw new IllegalArgumentException(args[0]);
			}
		}
		catch (TurnException ex) {
			System.out.println("turnError=" + ex.code() + " kind=" + ex.kind() + " message=" + ex.getMessage());
		}
		catch (NatException ex) {
			System.out.println("natError=" + ex.kind() + " message=" + ex.getMessage());
		}
	}

	private static void udp(TurnServer server, TurnCredentials credentials, InetSocketAddress peer, long pause)
			throws NatException, InterruptedException {
		long start = System.nanoTime();
		try (TurnAllocation allocation = TurnAllocation.allocate(server, credentials, TurnAllocation.RelayTransport.UDP,
				TurnOptions.defaults())) {
			System.out.printf("allocateMillis=%.1f%n", (System.nanoTime() - start) / 1e6);
			System.out.println("relayed=" + allocation.relayedAddress().getAddress().getHostAddress() + ":"
					+ allocation.relayedAddress().getPort());
			System.out.println("mapped=" + allocation.mappedAddress().map((a) -> a.getAddress().getHostAddress()).orElse("none"));
			System.out.println("lifetime=" + allocation.lifetime().getSeconds());
			Thread.sleep(pause);
			allocation.createPermission(peer.getAddress());
			allocation.send(peer, "via-send".getBytes(StandardCharsets.UTF_8));
			System.out.println("sendEcho=" + text(allocation.receive(Duration.ofSeconds(3))));
			int channel = allocation.bindChannel(peer);
			System.out.println("channel=" + Integer.toHexString(channel));
			allocation.send(peer, "via-channel".getBytes(StandardCharsets.UTF_8));
			System.out.println("channelEcho=" + text(allocation.receive(Duration.ofSeconds(3))));
			Thread.sleep(pause);
			allocation.refresh();
			System.out.println("refreshed=" + allocation.lifetime().getSeconds());
		}
		System.out.println("closed=true");
	}

	private static String text(Optional<TurnDatagram> datagram) {
		return datagram.map((d) -> d.peer().getAddress().getHostAddress() + ":" + d.peer().getPort() + "/"
				+ new String(d.data(), StandardCharsets.UTF_8)).orElse("none");
	}

	/**
	 * A TCP relay that a peer connects to (RFC 6062 section 4.5): a permission for the peer's address, the
	 * relayed address printed for the test to connect to, then the ConnectionAttempt and the peer's line.
	 */
	private static void accept(TurnServer server, TurnCredentials credentials, InetSocketAddress peer)
			throws NatException, IOException {
		try (TurnAllocation allocation = TurnAllocation.allocate(server, credentials, TurnAllocation.RelayTransport.TCP,
				TurnOptions.defaults())) {
			allocation.createPermission(peer.getAddress());
			System.out.println("relayedPort=" + allocation.relayedAddress().getPort());
			System.out.flush();
			java.util.Optional<dev.natboot.core.turn.TurnConnectionAttempt> attempt = allocation
				.awaitConnectionAttempt(Duration.ofSeconds(20));
			if (attempt.isEmpty()) {
				System.out.println("attempt=none");
				return;
			}
			System.out.println("attemptFrom=" + attempt.get().peer().getAddress().getHostAddress());
			try (TurnPeerConnection connection = allocation.openConnection(attempt.get().connectionId())) {
				connection.setReadTimeout(Duration.ofSeconds(5));
				connection.output().write("hello peer\n".getBytes(StandardCharsets.US_ASCII));
				String line = new java.io.BufferedReader(new java.io.InputStreamReader(connection.input(),
						StandardCharsets.US_ASCII)).readLine();
				System.out.println("peerSaid=" + line);
			}
		}
	}

	/** What the peer sent before it closed: coturn may end the data connection with a reset, not a FIN. */
	private static byte[] readUntilClosed(TurnPeerConnection connection) throws IOException {
		java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		try {
			for (int read; (read = connection.input().read(buffer)) >= 0 && answer.size() < 65536;) {
				answer.write(buffer, 0, read);
			}
		}
		catch (java.net.SocketException ex) {
			System.out.println("closedWith=" + ex.getMessage());
		}
		return answer.toByteArray();
	}

	private static void tcp(TurnServer server, TurnCredentials credentials, InetSocketAddress target)
			throws NatException, IOException {
		long start = System.nanoTime();
		try (TurnAllocation allocation = TurnAllocation.allocate(server, credentials, TurnAllocation.RelayTransport.TCP,
				TurnOptions.defaults())) {
			System.out.printf("allocateMillis=%.1f%n", (System.nanoTime() - start) / 1e6);
			System.out.println("relayed=" + allocation.relayedAddress().getAddress().getHostAddress());
			long connecting = System.nanoTime();
			try (TurnPeerConnection connection = allocation.connectTo(target)) {
				connection.output()
					.write(("GET / HTTP/1.1\r\nHost: " + target.getAddress().getHostAddress() + "\r\nConnection: close\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				connection.setReadTimeout(Duration.ofSeconds(5));
				String answer = new String(readUntilClosed(connection), StandardCharsets.ISO_8859_1);
				System.out.printf("httpMillis=%.1f%n", (System.nanoTime() - connecting) / 1e6);
				System.out.println("status=" + answer.lines().findFirst().orElse(""));
				System.out.println("body=" + (answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4).strip() : ""));
			}
		}
	}

}
