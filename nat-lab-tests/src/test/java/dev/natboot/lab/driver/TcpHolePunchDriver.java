package dev.natboot.lab.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.natboot.core.ice.IceAgent;
import dev.natboot.core.ice.TcpHolePunch;

/**
 * One side of a TCP hole punch in the lab, timed as libp2p's DCUtR does over the test's signalling (its standard
 * input and output): asks the STUN server at STUN over TCP for this side's public endpoint from a free port,
 * prints it ({@code endpoint=IP:PORT}) and reads the peer's. The initiator then prints {@code probe}, takes the
 * time until {@code answer} comes back, prints {@code go} and punches half that round trip later; the responder
 * answers {@code probe} with {@code answer} and punches the moment {@code go} arrives. Each prints {@code punched
 * in N ms tries=K accepted=B rtt=R us}, sends {@code hello from NAME} and prints the peer's {@code < hello ...}.
 * Never run outside the lab.
 *
 * <pre>TcpHolePunchDriver STUN NAME initiator|responder</pre>
 */
public final class TcpHolePunchDriver {

	private TcpHolePunchDriver() {
	}

	public static void main(String[] args) throws Exception {
		int localPort;
		try (ServerSocket free = new ServerSocket(0)) {
			localPort = free.getLocalPort();
		}
		InetSocketAddress mine = TcpHolePunch.publicEndpoint(localPort,
				new InetSocketAddress(InetAddress.getByName(args[0]), 3478), Duration.ofSeconds(3)).get();
		System.out.println("endpoint=" + mine.getAddress().getHostAddress() + ":" + mine.getPort() + " local=" + localPort);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String[] peer = in.readLine().substring("endpoint=".length()).split(" ")[0].split(":");
		boolean initiator = args[2].equals("initiator");
		Duration startDelay = Duration.ZERO;
		long roundTripNanos = 0;
		if (initiator) {
			long sent = System.nanoTime();
			System.out.println("probe");
			expect(in, "answer");
			roundTripNanos = System.nanoTime() - sent;
			System.out.println("go");
			startDelay = Duration.ofNanos(roundTripNanos / 2);
		}
		else {
			expect(in, "probe");
			System.out.println("answer");
			expect(in, "go");
		}
		TcpHolePunch.Path path = IceAgent.holePunchTcp(localPort, InetAddress.getByName(peer[0]),
				Integer.parseInt(peer[1]), startDelay, Duration.ofSeconds(10)).get();
		System.out.println("punched in " + path.took().toMillis() + " ms tries=" + path.attempts() + " accepted="
				+ path.accepted() + " rtt=" + roundTripNanos / 1000 + " us");
		path.channel().write(ByteBuffer.wrap(("hello from " + args[1] + "\n").getBytes(StandardCharsets.UTF_8)));
		BufferedReader fromPeer = new BufferedReader(
				new InputStreamReader(path.channel().socket().getInputStream(), StandardCharsets.UTF_8));
		System.out.println("< " + fromPeer.readLine());
		Thread.sleep(300);
		path.channel().close();
	}

	private static void expect(BufferedReader in, String wanted) throws Exception {
		String line = in.readLine();
		if (!wanted.equals(line)) {
			throw new IllegalStateException("Expected " + wanted + ", read " + line);
		}
	}

}
