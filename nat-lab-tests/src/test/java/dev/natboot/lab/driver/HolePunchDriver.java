package dev.natboot.lab.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.natboot.core.ice.HolePunch;
import dev.natboot.core.ice.IceAgent;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunClient;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunResponse;

/**
 * One side of a hole punch in the lab: asks the STUN server at STUN for this side's public endpoint from a local
 * port, prints it ({@code endpoint=IP:PORT}), reads the peer's the same way from standard input, punches with
 * {@link IceAgent#holePunch}, prints {@code punched in N ms}, sends {@code hello from NAME} and prints the peer's
 * {@code < hello ...}. Never run outside the lab.
 *
 * <pre>HolePunchDriver STUN NAME</pre>
 */
public final class HolePunchDriver {

	private HolePunchDriver() {
	}

	public static void main(String[] args) throws Exception {
		InetSocketAddress stun = new InetSocketAddress(InetAddress.getByName(args[0]), 3478);
		int localPort;
		InetSocketAddress mine;
		try (NatEventLoop loop = NatEventLoop.open("stun"); StunClient client = new StunClient(loop, new InetSocketAddress(0))) {
			localPort = client.localAddress().getPort();
			StunResponse response = client.binding(stun, StunClient.LAN).get();
			mine = response.message().mappedAddress().orElseThrow();
		}
		System.out.println("endpoint=" + mine.getAddress().getHostAddress() + ":" + mine.getPort() + " local=" + localPort);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line = in.readLine();
		String[] peer = line.substring("endpoint=".length()).split(" ")[0].split(":");
		HolePunch.Path path = IceAgent.holePunch(localPort, InetAddress.getByName(peer[0]), Integer.parseInt(peer[1]),
				Duration.ofSeconds(10)).get();
		System.out.println("punched in " + path.took().toMillis() + " ms rtt=" + path.roundTrip().toNanos() / 1000 + " us");
		byte[] hello = ("hello from " + args[1]).getBytes(StandardCharsets.UTF_8);
		path.socket().send(new DatagramPacket(hello, hello.length));
		for (byte[] early : path.early()) {
			System.out.println("< " + new String(early, StandardCharsets.UTF_8));
		}
		path.socket().setSoTimeout(5000);
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (path.early().isEmpty() && System.nanoTime() < deadline) {
			DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
			path.socket().receive(packet);
			byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
			if (!StunCodec.looksLikeStun(data)) {
				System.out.println("< " + new String(data, StandardCharsets.UTF_8));
				break;
			}
		}
		Thread.sleep(500); // the peer's hello may still be on its way when ours arrived
		path.socket().close();
	}

}
