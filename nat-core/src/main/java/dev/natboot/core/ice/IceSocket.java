package dev.natboot.core.ice;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import org.jspecify.annotations.Nullable;

/**
 * One socket of an agent, the base of a host or relayed candidate: a UDP socket, a TURN relay, or a TCP
 * candidate's connections ({@link IceTcpLink}). STUN requests to servers and peers go out on it with their
 * retransmissions, and what comes back is told apart (RFC 7983): answers to this socket's transactions, the
 * peer's checks, and the application's datagrams (on TCP, RFC 4571 frames). Lives on the agent's loop thread.
 */
final class IceSocket implements NatEventLoop.DatagramHandler {

	private static final System.Logger logger = System.getLogger(IceSocket.class.getName());

	/** The most transactions one socket keeps open: a peer's flood of checks cannot grow it further. */
	static final int MAX_TRANSACTIONS = 256;

	/** Where what arrives goes. */
	interface Receiver {

		void request(IceSocket socket, StunMessage request, byte[] octets, InetSocketAddress source);

		void data(IceSocket socket, byte[] data, InetSocketAddress source);

		/** A TCP socket's connection to a remote address ended on the peer's side (its FIN, a reset). */
		default void connectionClosed(IceSocket socket, InetSocketAddress remote) {
		}

	}

	/** Hears how one transaction ends. */
	interface Outcome {

		void answered(StunMessage response, byte[] octets, InetSocketAddress source, long roundTripNanos);

		void timedOut();

	}

	/** How datagrams leave and what the socket's base is: a UDP socket of this host, or a TURN relay. */
	interface Link {

		InetSocketAddress base();

		boolean send(byte[] data, InetSocketAddress target);

		/** The peer's addresses are known: a relay lets them in now, not at the first datagram to each. */
		default void expect(java.util.Collection<InetAddress> peers) {
		}

		default dev.natboot.core.Transport transport() {
			return dev.natboot.core.Transport.UDP;
		}

		/** How a TCP link's candidate connects; {@code null} for UDP. */
		default @Nullable IceTcpType tcpType() {
			return null;
		}

		/** A pair was selected: a TCP link closes its connections to every other address. */
		default void retainOnly(@Nullable InetSocketAddress remote) {
		}

		/** How many connections a TCP link holds. */
		default int connectionCount() {
			return 0;
		}

		void close();

	}

	private final NatEventLoop loop;

	private final Link link;

	private final InetSocketAddress base;

	private final Receiver receiver;

	private final Map<ByteBuffer, Transaction> transactions = new HashMap<>();

	private boolean closed;

	IceSocket(NatEventLoop loop, Link link, Receiver receiver) {
		this.loop = loop;
		this.link = link;
		this.base = link.base();
		this.receiver = receiver;
	}

	/** A socket on one of this host's addresses, registered with the loop. */
	static IceSocket open(NatEventLoop loop, InetAddress address, int port, Receiver receiver) throws IOException {
		DatagramChannel channel = DatagramChannel.open();
		try {
			channel.configureBlocking(false);
			channel.bind(new InetSocketAddress(address, port));
			IceSocket socket = new IceSocket(loop, new UdpLink(channel), receiver);
			loop.register(channel, socket);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/** A TCP candidate's socket (RFC 6544), registered with the loop; passive and so ones listen at once. */
	static IceSocket openTcp(NatEventLoop loop, IceTcpType type, InetAddress address, int port, Receiver receiver)
			throws IOException {
		IceTcpLink link = IceTcpLink.open(loop, type, address, port);
		IceSocket socket = new IceSocket(loop, link, receiver);
		link.start(socket);
		return socket;
	}

	dev.natboot.core.Transport transport() {
		return this.link.transport();
	}

	/** How a TCP socket's candidate connects; {@code null} for UDP. */
	@Nullable IceTcpType tcpType() {
		return this.link.tcpType();
	}

	/** From a TCP link, on the loop thread: the peer ended its connection from that address. */
	void connectionClosed(InetSocketAddress remote) {
		if (!this.closed) {
			this.receiver.connectionClosed(this, remote);
		}
	}

	void retainOnly(@Nullable InetSocketAddress remote) {
		this.link.retainOnly(remote);
	}

	int connectionCount() {
		return this.link.connectionCount();
	}

	/** A TCP socket's link, for its STUN servers and its connections; {@code null} for UDP. */
	@Nullable IceTcpLink tcpLink() {
		return (this.link instanceof IceTcpLink tcp) ? tcp : null;
	}

	void expect(java.util.Collection<InetAddress> peers) {
		if (!this.closed) {
			this.link.expect(peers);
		}
	}

	boolean relayed() {
		return !(this.link instanceof UdpLink) && !(this.link instanceof IceTcpLink);
	}

	InetSocketAddress base() {
		return this.base;
	}

	/**
	 * Sends a datagram; a failure (no route, a full buffer) is the same as a datagram lost on the way.
	 * @return whether it was handed to the network
	 */
	boolean send(byte[] data, InetSocketAddress target) {
		return !this.closed && this.link.send(data, target);
	}

	/**
	 * Starts a transaction: sends the request now and again on the schedule until an answer with its id comes
	 * from the target.
	 * @return the transaction, to cancel; {@code null} when too many are open or the socket is closed
	 */
	@Nullable Transaction start(StunMessage request, byte[] octets, InetSocketAddress target, Retransmission schedule,
			Outcome outcome) {
		if (this.closed || this.transactions.size() >= MAX_TRANSACTIONS) {
			return null;
		}
		Transaction transaction = new Transaction(ByteBuffer.wrap(request.transactionId()), octets, target, schedule,
				outcome);
		this.transactions.put(transaction.id, transaction);
		transaction.transmit();
		return transaction;
	}

	void close() {
		this.closed = true;
		this.transactions.values().forEach(Transaction::stopTimer);
		this.transactions.clear();
		this.link.close();
	}

	@Override
	public void received(byte[] data, SocketAddress source) {
		if (this.closed) {
			return;
		}
		InetSocketAddress from = (InetSocketAddress) source;
		if (!StunCodec.looksLikeStun(data)) {
			this.receiver.data(this, data, from);
			return;
		}
		StunMessage message;
		try {
			message = StunCodec.decode(data);
		}
		catch (MalformedMessageException ex) {
			logger.log(Level.DEBUG, () -> "Ignoring a malformed STUN message from " + from + ": " + ex.getMessage());
			return;
		}
		if (message.messageClass() == StunMessageClass.REQUEST) {
			this.receiver.request(this, message, data, from);
			return;
		}
		if (!message.messageClass().isResponse()) {
			return; // indications: nothing of ICE's
		}
		Transaction transaction = this.transactions.get(ByteBuffer.wrap(message.transactionId()));
		if (transaction == null) {
			return;
		}
		// An answer from elsewhere is no answer (RFC 8445 section 7.2.5.2.1): the transaction waits on.
		if (!transaction.target.equals(from)) {
			return;
		}
		this.transactions.remove(transaction.id);
		transaction.stopTimer();
		transaction.outcome.answered(message, data, from, System.nanoTime() - transaction.sentNanos);
	}

	@Override
	public void failed(IOException failure) {
		logger.log(Level.DEBUG, () -> "ICE socket " + this.base + ": " + failure.getMessage());
	}

	/** One request awaiting its answer. */
	final class Transaction {

		private final ByteBuffer id;

		private final byte[] octets;

		private final InetSocketAddress target;

		private final Retransmission schedule;

		private final Outcome outcome;

		private int attempts;

		private long sentNanos;

		private NatEventLoop.@Nullable Timer timer;

		private Transaction(ByteBuffer id, byte[] octets, InetSocketAddress target, Retransmission schedule,
				Outcome outcome) {
			this.id = id;
			this.octets = octets;
			this.target = target;
			this.schedule = schedule;
			this.outcome = outcome;
		}

		void cancel() {
			stopTimer();
			IceSocket.this.transactions.remove(this.id);
		}

		private void transmit() {
			this.attempts++;
			// the round trip counts from the last try: an answer to an earlier one only makes it look shorter
			this.sentNanos = System.nanoTime();
			send(this.octets, this.target);
			this.timer = IceSocket.this.loop.scheduleNanos(this::expired, this.schedule.timeoutNanos(this.attempts));
		}

		private void expired() {
			if (IceSocket.this.transactions.get(this.id) != this) {
				return;
			}
			if (this.attempts < this.schedule.attempts()) {
				transmit();
				return;
			}
			IceSocket.this.transactions.remove(this.id);
			this.outcome.timedOut();
		}

		private void stopTimer() {
			NatEventLoop.Timer current = this.timer;
			if (current != null) {
				current.cancel();
			}
		}

	}

	/** A UDP socket of this host's own. */
	private static final class UdpLink implements Link {

		private final DatagramChannel channel;

		private final InetSocketAddress base;

		UdpLink(DatagramChannel channel) throws IOException {
			this.channel = channel;
			this.base = (InetSocketAddress) channel.getLocalAddress();
		}

		@Override
		public InetSocketAddress base() {
			return this.base;
		}

		@Override
		public boolean send(byte[] data, InetSocketAddress target) {
			try {
				return this.channel.send(ByteBuffer.wrap(data), target) > 0;
			}
			catch (IOException | RuntimeException ex) {
				logger.log(Level.DEBUG, () -> "Cannot send from " + this.base + " to " + target + ": " + ex.getMessage());
				return false;
			}
		}

		@Override
		public void close() {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Closing ICE socket failed", ex);
			}
		}

	}

}
