package dev.natboot.lab.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.natboot.core.ice.HolePunch;
import dev.natboot.core.ice.PortPrediction;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunClient;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunResponse;

/**
 * One side of a port prediction in the lab: asks the STUN server at STUN for this side's public endpoint, prints
 * it ({@code endpoint=IP:PORT local=PORT}), reads the peer's, then predicts from the easy side (probes to random
 * ports of the peer's address) or the hard side (SOCKETS sockets toward the peer's endpoint), prints
 * {@code predicted in N ms}, or {@code not predicted} at the timeout, sends {@code hello from NAME} and prints the
 * peer's {@code < hello ...}. Never run outside the lab.
 *
 * <pre>PortPredictionDriver STUN NAME easy|hard SOCKETS-OR-PROBES [PROBES-PER-SECOND]</pre>
 */
public final class PortPredictionDriver {

	private PortPredictionDriver() {
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
		String[] peer = in.readLine().substring("endpoint=".length()).split(" ")[0].split(":");
		InetSocketAddress peerEndpoint = new InetSocketAddress(InetAddress.getByName(peer[0]), Integer.parseInt(peer[1]));
		int count = Integer.parseInt(args[3]);
		HolePunch.Path path;
		try {
			path = (args[2].equals("easy"))
					? PortPrediction.fromEasySide(localPort, peerEndpoint.getAddress(), count, Integer.parseInt(args[4]),
							Duration.ofSeconds(5)).get()
					: PortPrediction.fromHardSide(peerEndpoint, count, Duration.ofSeconds(5)).get();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			System.out.println("not predicted: " + ex.getCause().getMessage());
			return;
		}
		System.out.println("predicted in " + path.took().toMillis() + " ms rtt=" + path.roundTrip().toNanos() / 1000
				+ " us remote=" + path.remote());
		byte[] hello = ("hello from " + args[1]).getBytes(StandardCharsets.UTF_8);
		path.socket().send(new DatagramPacket(hello, hello.length));
		for (byte[] early : path.early()) {
			System.out.println("< " + new String(early, StandardCharsets.UTF_8));
		}
		path.socket().setSoTimeout(3000);
		long deadline = System.nanoTime() + 3_000_000_000L;
		while (path.early().isEmpty() && System.nanoTime() < deadline) {
			DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
			path.socket().receive(packet);
			byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
			if (!StunCodec.looksLikeStun(data)) {
				System.out.println("< " + new String(data, StandardCharsets.UTF_8));
				break;
			}
		}
		Thread.sleep(300);
		path.socket().close();
	}

}
