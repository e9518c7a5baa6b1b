package dev.natboot.core.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Opt-in UDP port prediction for a peer behind a hard NAT (one that gives each destination a port of its own)
 * and a peer behind an easy one (one public port per local port, that lets in only whom it sent to): the
 * birthday-paradox approach tailscale describes. The hard side opens many sockets and sends from each to the
 * easy side's public endpoint, which opens as many mappings on its NAT; the easy side sends probes from its one
 * port to random ports of the hard side's address, each of which opens its own NAT to that port. A probe that
 * lands on one of the hard side's mappings is answered, and that pair of ports is a direct path. With 256
 * sockets and 1,024 probes across 64,512 ports, about 98 % of tries hit. Two hard NATs have no such luck: use a
 * relay ({@link IceAgent} with a TURN server). Packets are bounded: at most {@value #MAX_SOCKETS} sockets, each
 * sending once a second, and {@value #MAX_PROBES} probes at a rate the caller sets.
 */
public final class PortPrediction {

	static final int MAX_SOCKETS = 1024;

	static final int MAX_PROBES = 16_384;

	static final int MAX_PROBES_PER_SECOND = 5_000;

	/** The ports a NAT that picks at random picks from: Linux's for sources of 1024 and up. */
	private static final int LOWEST_PORT = 1024;

	private PortPrediction() {
	}

	/**
	 * The side behind the hard NAT: sockets that each send to the easy side's endpoint and answer its probes.
	 * @param easyPeer the easy side's public endpoint (its server-reflexive candidate)
	 * @param sockets how many, 1 to {@value #MAX_SOCKETS} (256 for about 98 % with 1,024 probes)
	 * @param timeout how long to try
	 * @return the path over the socket a probe reached, connected to the peer
	 */
	public static CompletableFuture<HolePunch.Path> fromHardSide(InetSocketAddress easyPeer, int sockets,
			Duration timeout) {
		if (sockets < 1 || sockets > MAX_SOCKETS) {
			throw new IllegalArgumentException("Sockets are 1 to " + MAX_SOCKETS + ": " + sockets);
		}
		return run("natboot-port-prediction-hard", () -> new Probing(easyPeer.getAddress(), timeout, false) {

			@Override
			void open() throws IOException {
				for (int index = 0; index < sockets; index++) {
					channel(0);
				}
			}

			@Override
			void probe(long now) {
				// each socket again once a second: its NAT mapping toward the peer stays, and a lost packet is sent again
				if (now - this.nextProbe < 0) {
					return;
				}
				for (DatagramChannel channel : this.channels) {
					request(channel, easyPeer);
				}
				this.nextProbe = now + 1_000_000_000L;
			}

		}.run());
	}

	/**
	 * The side behind the easy NAT: probes from its one port to random ports of the hard side's address.
	 * @param localPort the port the easy side's public endpoint belongs to
	 * @param hardPeer the hard side's public address
	 * @param probes how many, 1 to {@value #MAX_PROBES}, to distinct ports
	 * @param probesPerSecond 1 to {@value #MAX_PROBES_PER_SECOND}
	 * @param timeout how long to try
	 * @return the path to the port a probe was answered from
	 */
	public static CompletableFuture<HolePunch.Path> fromEasySide(int localPort, InetAddress hardPeer, int probes,
			int probesPerSecond, Duration timeout) {
		if (probes < 1 || probes > MAX_PROBES) {
			throw new IllegalArgumentException("Probes are 1 to " + MAX_PROBES + ": " + probes);
		}
		if (probesPerSecond < 1 || probesPerSecond > MAX_PROBES_PER_SECOND) {
			throw new IllegalArgumentException("Probes a second are 1 to " + MAX_PROBES_PER_SECOND + ": " + probesPerSecond);
		}
		int[] ports = randomPorts(probes);
		return run("natboot-port-prediction-easy", () -> new Probing(hardPeer, timeout, true) {

			private int sent;

			@Override
			void open() throws IOException {
				channel(localPort);
			}

			@Override
			void probe(long now) {
				long due = (now - this.started) * probesPerSecond / 1_000_000_000L + 1;
				while (this.sent < Math.min(due, ports.length)) {
					request(this.channels.get(0), new InetSocketAddress(hardPeer, ports[this.sent++]));
				}
				this.nextProbe = this.started + (this.sent * 1_000_000_000L) / probesPerSecond;
			}

		}.run());
	}

	private static int[] randomPorts(int count) {
		SplittableRandom random = new SplittableRandom();
		int range = 65536 - LOWEST_PORT;
		int[] all = new int[range];
		for (int index = 0; index < range; index++) {
			all[index] = LOWEST_PORT + index;
		}
		for (int index = 0; index < count; index++) {
			int swap = index + random.nextInt(range - index);
			int kept = all[index];
			all[index] = all[swap];
			all[swap] = kept;
		}
		return java.util.Arrays.copyOf(all, count);
	}

	private interface Task {

		HolePunch.Path call() throws NatException;

	}

	private static CompletableFuture<HolePunch.Path> run(String name, Task task) {
		CompletableFuture<HolePunch.Path> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(task.call());
			}
			catch (NatException | RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return result;
	}

	/** One side's sockets and probes, on its own thread: through once a probe of its own is answered. */
	private abstract static class Probing {

		private final InetAddress peer;

		private final Duration timeout;

		final long started = System.nanoTime();

		final List<DatagramChannel> channels = new ArrayList<>();

		private final Map<ByteBuffer, Long> sentAt = new HashMap<>();

		/** Each socket probes back each of the peer's ports once. */
		private final java.util.Set<List<Object>> triggered = new java.util.HashSet<>();

		private Selector selector;

		long nextProbe = this.started;

		/** The easy side nominates the path; the hard side follows. */
		private final boolean nominates;

		private DatagramChannel through;

		private InetSocketAddress remote;

		private long roundTripNanos;

		private long tookNanos;

		private ByteBuffer nomination;

		private boolean nominationAnswered;

		private long nextNomination;

		/** The peer's datagrams that came on the path before it was handed over. */
		private final List<byte[]> early = new ArrayList<>();

		Probing(InetAddress peer, Duration timeout, boolean nominates) {
			this.peer = peer;
			this.timeout = timeout;
			this.nominates = nominates;
		}

		abstract void open() throws IOException;

		abstract void probe(long now);

		void channel(int port) throws IOException {
			DatagramChannel channel = DatagramChannel.open();
			this.channels.add(channel);
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.bind(new InetSocketAddress(port));
			channel.configureBlocking(false);
			channel.register(this.selector, SelectionKey.OP_READ);
		}

		void request(DatagramChannel channel, InetSocketAddress target) {
			StunMessage probe = StunMessage.bindingRequest();
			if (this.sentAt.size() < 4 * MAX_PROBES) {
				this.sentAt.put(ByteBuffer.wrap(probe.transactionId()), System.nanoTime());
			}
			send(channel, StunCodec.encode(probe), target);
		}

		HolePunch.Path run() throws NatException {
			long deadline = this.started + this.timeout.toNanos();
			try (Selector opened = Selector.open()) {
				this.selector = opened;
				open();
				ByteBuffer buffer = ByteBuffer.allocate(StunCodec.MAX_MESSAGE_LENGTH);
				long lingerUntil = 0;
				while (this.through == null || (System.nanoTime() - lingerUntil < 0 && this.early.isEmpty())) {
					long now = System.nanoTime();
					if (this.through == null && now - deadline >= 0) {
						throw new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.ICE, "No probe between this side and "
								+ this.peer.getHostAddress() + " was answered within " + this.timeout.toMillis() + " ms");
					}
					if (this.through == null) {
						probe(now);
					}
					else if (this.nominates && now - this.nextNomination >= 0 && !this.nominationAnswered) {
						nominate();
					}
					long wait = Math.max(1, Math.min((this.nextProbe - now) / 1_000_000, 20));
					opened.select(wait);
					for (SelectionKey key : opened.selectedKeys()) {
						DatagramChannel channel = (DatagramChannel) key.channel();
						SocketAddress source;
						buffer.clear();
						while ((source = receive(channel, buffer)) != null) {
							InetSocketAddress from = (InetSocketAddress) source;
							byte[] data = new byte[buffer.flip().remaining()];
							buffer.get(data).clear();
							boolean wasThrough = this.through != null;
							if (from.getAddress().equals(this.peer) && (!wasThrough
									|| (channel == this.through && from.equals(this.remote)))) {
								read(channel, data, from);
							}
							if (!wasThrough && this.through != null) {
								// the hard side hands its socket over well before the easy side's first datagram can
								// come: connecting the socket drops what it received before (the JDK flushes it)
								lingerUntil = System.nanoTime()
										+ (this.nominates ? HolePunch.LINGER_MILLIS : HolePunch.LINGER_MILLIS / 3) * 1_000_000L;
							}
						}
					}
					opened.selectedKeys().clear();
				}
				for (DatagramChannel channel : this.channels) {
					if (channel != this.through) {
						channel.close();
					}
				}
				// connecting drops what the socket received so far (the JDK flushes it): the peer's first datagrams
				// are kept first
				buffer.clear();
				SocketAddress source;
				while ((source = receive(this.through, buffer)) != null) {
					byte[] data = new byte[buffer.flip().remaining()];
					buffer.get(data).clear();
					if (this.remote.equals(source)) {
						read(this.through, data, this.remote);
					}
				}
				opened.close(); // deregisters the channel, which may then block
				this.through.configureBlocking(true);
				this.through.connect(this.remote);
				return new HolePunch.Path(this.through.socket(), this.remote, Duration.ofNanos(this.roundTripNanos),
						Duration.ofNanos(this.tookNanos), this.early);
			}
			catch (IOException ex) {
				this.channels.forEach(PortPrediction::closeQuietly);
				throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.ICE, NatException.NO_ROUTER_CODE,
						"Port prediction failed: " + ex.getMessage(), ex);
			}
			catch (NatException | RuntimeException ex) {
				this.channels.forEach(PortPrediction::closeQuietly);
				throw ex;
			}
		}

		/**
		 * One of the peer's datagrams. Several probes may hit, so the easy side chooses: the first answered is its
		 * path, which it nominates (a probe with USE-CANDIDATE, again until answered); the hard side takes the
		 * socket the nomination came to.
		 */
		private void read(DatagramChannel channel, byte[] data, InetSocketAddress from) {
			if (!StunCodec.looksLikeStun(data)) {
				// the application's, on the path: the peer is through, and the datagram is the application's
				if (this.through != null && this.early.size() < HolePunch.MAX_EARLY) {
					this.early.add(data);
				}
				return;
			}
			StunMessage message;
			try {
				message = StunCodec.decode(data);
			}
			catch (MalformedMessageException ex) {
				return;
			}
			if (message.method() != StunMethod.BINDING) {
				return;
			}
			if (message.messageClass() == StunMessageClass.REQUEST) {
				send(channel, StunCodec.encode(new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
						message.transactionId(), List.of(new StunAttribute.XorMappedAddress(from)), true)), from);
				if (!this.nominates && this.through == null
						&& message.attribute(StunAttribute.UseCandidate.class).isPresent()) {
					through(channel, from, 0);
					return;
				}
				// a triggered probe back: the peer's probe opened its NAT to this port, so this one gets through
				if (this.through == null && this.triggered.size() < MAX_SOCKETS
						&& this.triggered.add(List.of(channel, from))) {
					request(channel, from);
				}
				return;
			}
			if (message.messageClass() != StunMessageClass.SUCCESS_RESPONSE) {
				return;
			}
			ByteBuffer id = ByteBuffer.wrap(message.transactionId());
			if (id.equals(this.nomination)) {
				this.nominationAnswered = true;
				return;
			}
			Long askedAt = this.sentAt.get(id);
			if (askedAt != null && this.through == null && this.nominates) {
				through(channel, from, System.nanoTime() - askedAt);
				nominate();
			}
		}

		private void through(DatagramChannel channel, InetSocketAddress from, long roundTripNanos) {
			this.through = channel;
			this.remote = from;
			this.roundTripNanos = roundTripNanos;
			this.tookNanos = System.nanoTime() - this.started;
		}

		private void nominate() {
			StunMessage nominating = new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING,
					StunMessage.bindingRequest().transactionId(), List.of(new StunAttribute.UseCandidate()), true);
			this.nomination = ByteBuffer.wrap(nominating.transactionId());
			send(this.through, StunCodec.encode(nominating), this.remote);
			this.nextNomination = System.nanoTime() + 50_000_000L;
		}

		private static SocketAddress receive(DatagramChannel channel, ByteBuffer buffer) {
			try {
				return channel.receive(buffer);
			}
			catch (IOException ex) {
				return null; // an ICMP error for a probe to a closed port: the next datagram is read next time
			}
		}

	}

	private static void send(DatagramChannel channel, byte[] data, InetSocketAddress target) {
		try {
			channel.send(ByteBuffer.wrap(data), target);
		}
		catch (IOException ex) {
			// lost on the way, as a probe may be
		}
	}

	private static void closeQuietly(DatagramChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// nothing to do for a socket given up
		}
	}

}
