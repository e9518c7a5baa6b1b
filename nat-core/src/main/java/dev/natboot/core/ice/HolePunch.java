package dev.natboot.core.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;

/**
 * UDP hole punching for two peers that already know each other's public endpoint (from STUN, exchanged over
 * their signalling) and the local port it belongs to: both call {@link #punch} at about the same time. Each side
 * sends a STUN Binding request to the other every {@value #PROBE_INTERVAL_MILLIS} ms from that port, which opens
 * its own NAT toward the peer, and answers the peer's requests; a side is through when an answer to one of its
 * own requests comes back: its datagrams reach the peer and the peer's reach it. It then keeps answering for
 * {@value #LINGER_MILLIS} ms, so that the peer's next request finds an answer too, or until the peer's first
 * datagram that is not a probe says the peer is through as well (that datagram is kept in {@link Path#early()}). Works through NATs that keep
 * one public port per local port (endpoint-independent mapping) on both sides; for anything else use
 * {@link IceAgent}, which also tries relays and port mappings. Only the peer's endpoint is heard.
 */
public final class HolePunch {

	/** Time between two probes: a hole opens with the first that leaves after the peer's has. */
	static final int PROBE_INTERVAL_MILLIS = 20;

	/** How long a side that is through keeps answering. */
	static final int LINGER_MILLIS = 300;

	/** Probes sent before giving up, whatever the timeout: a bound on what one call sends. */
	static final int MAX_PROBES = 1500;

	private HolePunch() {
	}

	/**
	 * A path through both NATs.
	 * @param socket bound to the local port and connected to the peer, for the application's datagrams
	 * @param remote the peer's endpoint
	 * @param roundTrip the round trip of the probe that was answered
	 * @param took from the call to through
	 * @param early the peer's datagrams that arrived before the path was handed over (at most
	 *     {@value #MAX_EARLY}), to read before the socket's
	 */
	public record Path(DatagramSocket socket, InetSocketAddress remote, Duration roundTrip, Duration took,
			List<byte[]> early) {

		public Path {
			early = List.copyOf(early);
		}

	}

	/** The peer's datagrams kept for the application while probing ends. */
	static final int MAX_EARLY = 16;

	/**
	 * Punches a hole to a peer, on a daemon thread of its own.
	 * @param localPort the port the peer knows this side's public endpoint by (the one STUN was asked from)
	 * @param remote the peer's public endpoint
	 * @param timeout how long to try
	 * @return the path; fails with a {@link NatException}: {@link NatErrorKind#NO_RESPONSE} when no answer came
	 *     in time, {@link NatErrorKind#IO_ERROR} when the port cannot be bound
	 */
	public static CompletableFuture<Path> punch(int localPort, InetSocketAddress remote, Duration timeout) {
		if (remote.isUnresolved() || remote.getPort() == 0) {
			throw new IllegalArgumentException("The peer's endpoint must be an address and a port: " + remote);
		}
		CompletableFuture<Path> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(run(localPort, remote, timeout));
			}
			catch (NatException ex) {
				result.completeExceptionally(ex);
			}
		}, "natboot-hole-punch");
		thread.setDaemon(true);
		thread.start();
		return result;
	}

	private static Path run(int localPort, InetSocketAddress remote, Duration timeout) throws NatException {
		long start = System.nanoTime();
		DatagramSocket socket;
		try {
			socket = new DatagramSocket(null);
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(localPort));
			socket.connect(remote);
			socket.setSoTimeout(PROBE_INTERVAL_MILLIS);
		}
		catch (SocketException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.ICE, NatException.NO_ROUTER_CODE,
					"Cannot punch from port " + localPort + ": " + ex.getMessage(), ex);
		}
		try {
			Path path = exchange(socket, remote, start, System.nanoTime() + timeout.toNanos());
			if (path == null) {
				socket.close();
				throw new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.ICE, "No answer from " + remote
						+ " within " + timeout.toMillis() + " ms: both sides must punch at once, through NATs that keep "
						+ "one public port per local port");
			}
			return path;
		}
		catch (IOException ex) {
			socket.close();
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.ICE, NatException.NO_ROUTER_CODE,
					"Hole punching to " + remote + " failed: " + ex.getMessage(), ex);
		}
	}

	private static Path exchange(DatagramSocket socket, InetSocketAddress remote, long start, long deadline)
			throws IOException {
		Map<ByteBuffer, Long> sent = new HashMap<>();
		List<byte[]> early = new java.util.ArrayList<>();
		byte[] buffer = new byte[StunCodec.MAX_MESSAGE_LENGTH];
		long nextProbe = 0;
		int probes = 0;
		Path through = null;
		long lingerUntil = 0;
		while (true) {
			long now = System.nanoTime();
			if (through != null && (now - lingerUntil >= 0 || !early.isEmpty())) {
				return new Path(through.socket(), through.remote(), through.roundTrip(), through.took(), early);
			}
			if (through == null && (now - deadline >= 0 || probes >= MAX_PROBES)) {
				return null;
			}
			if (through == null && now - nextProbe >= 0) {
				StunMessage probe = StunMessage.bindingRequest();
				sent.put(ByteBuffer.wrap(probe.transactionId()), now);
				send(socket, StunCodec.encode(probe));
				probes++;
				nextProbe = now + PROBE_INTERVAL_MILLIS * 1_000_000L;
			}
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				continue;
			}
			catch (java.net.PortUnreachableException ex) {
				continue; // the peer's NAT refused a probe that left before its own: later ones get through
			}
			if (!remote.equals(packet.getSocketAddress())) {
				continue;
			}
			byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
			StunMessage message;
			if (!StunCodec.looksLikeStun(data)) {
				// the application's: the peer is through, and its datagram is the application's to read
				if (early.size() < MAX_EARLY) {
					early.add(data);
				}
				continue;
			}
			try {
				message = StunCodec.decode(data);
			}
			catch (MalformedMessageException ex) {
				continue;
			}
			if (message.method() != StunMethod.BINDING) {
				continue;
			}
			if (message.messageClass() == StunMessageClass.REQUEST) {
				send(socket, StunCodec.encode(new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
						message.transactionId(), List.of(new StunAttribute.XorMappedAddress(remote)), true)));
			}
			else if (message.messageClass() == StunMessageClass.SUCCESS_RESPONSE && through == null) {
				Long probedAt = sent.get(ByteBuffer.wrap(message.transactionId()));
				if (probedAt != null) {
					long answeredAt = System.nanoTime();
					through = new Path(socket, remote, Duration.ofNanos(answeredAt - probedAt),
							Duration.ofNanos(answeredAt - start), List.of());
					lingerUntil = answeredAt + LINGER_MILLIS * 1_000_000L;
				}
			}
		}
	}

	private static void send(DatagramSocket socket, byte[] data) {
		try {
			socket.send(new DatagramPacket(data, data.length));
		}
		catch (IOException ex) {
			// lost on the way, as a datagram may be: the next probe tries again
		}
	}

}
