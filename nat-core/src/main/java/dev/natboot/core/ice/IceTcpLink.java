package dev.natboot.core.ice;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A TCP candidate's way out (RFC 6544): the connections of one local TCP candidate, each to one remote address,
 * carrying the agent's packets as RFC 4571 frames, so that the checks and the application see datagrams with a
 * source as on UDP. An active candidate connects to the peer's passive ones; a passive one accepts the peer's
 * connections; a simultaneous-open one does both from one port, which a NAT maps once for every destination,
 * so that two such candidates behind NATs connect when their SYNs cross. To a STUN server it speaks bare STUN.
 * <p>
 * Bounded against a hostile peer: at most {@value #MAX_CONNECTIONS} connections, the oldest accepted one that
 * never carried an answer giving way to a new one; one packet held per connection; {@value #MAX_QUEUED_OCTETS}
 * octets waiting to be written in all. Loop thread only, but {@link #send}, which any thread may call.
 */
final class IceTcpLink implements IceSocket.Link {

	private static final System.Logger logger = System.getLogger(IceTcpLink.class.getName());

	static final int MAX_CONNECTIONS = 32;

	static final int MAX_QUEUED_OCTETS = 1 << 20;

	/** How long an outgoing connection is tried again while its first packet waits (SYNs may cross late). */
	static final long CONNECT_PATIENCE_NANOS = 5_000_000_000L;

	/** The first retry of a refused connection: the peer's NAT may open a few milliseconds later. */
	private static final long FIRST_RETRY_NANOS = 20_000_000L;

	/** The port RFC 6544 section 4.5 gives an active candidate, which accepts nothing. */
	static final int ACTIVE_PORT = 9;

	private final NatEventLoop loop;

	private final IceTcpType type;

	private final InetSocketAddress base;

	private final @Nullable ServerSocketChannel listener;

	private final Map<InetSocketAddress, Connection> connections = new LinkedHashMap<>();

	private final Set<InetSocketAddress> stunServers = new HashSet<>();

	private final AtomicLong queued = new AtomicLong();

	private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);

	private @Nullable IceSocket receiver;

	private volatile boolean closed;

	private IceTcpLink(NatEventLoop loop, IceTcpType type, InetSocketAddress base, @Nullable ServerSocketChannel listener) {
		this.loop = loop;
		this.type = type;
		this.base = base;
		this.listener = listener;
	}

	/**
	 * Opens a candidate's link: a listening socket for a passive or simultaneous-open one.
	 * @param port the port to listen on, 0 for any; an active candidate listens on none
	 */
	static IceTcpLink open(NatEventLoop loop, IceTcpType type, InetAddress address, int port) throws IOException {
		if (type == IceTcpType.ACTIVE) {
			return new IceTcpLink(loop, type, new InetSocketAddress(address, ACTIVE_PORT), null);
		}
		ServerSocketChannel listener = ServerSocketChannel.open();
		try {
			listener.configureBlocking(false);
			if (type == IceTcpType.SIMULTANEOUS_OPEN) {
				// its connections leave from the port it listens on
				listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
				listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			}
			listener.bind(new InetSocketAddress(address, port), MAX_CONNECTIONS);
			return new IceTcpLink(loop, type, (InetSocketAddress) listener.getLocalAddress(), listener);
		}
		catch (IOException | RuntimeException ex) {
			listener.close();
			throw ex;
		}
	}

	/** Starts accepting, handing every packet that arrives to the socket on the loop thread. */
	void start(IceSocket socket) {
		this.receiver = socket;
		ServerSocketChannel accepting = this.listener;
		if (accepting != null) {
			this.loop.register(accepting, SelectionKey.OP_ACCEPT, new Acceptor());
		}
	}

	@Override
	public dev.natboot.core.Transport transport() {
		return dev.natboot.core.Transport.TCP;
	}

	@Override
	public IceTcpType tcpType() {
		return this.type;
	}

	/** What goes to this address is bare STUN, not RFC 4571 frames: a STUN server's. */
	void stunServer(InetSocketAddress server) {
		this.stunServers.add(server);
	}

	@Override
	public InetSocketAddress base() {
		return this.base;
	}

	@Override
	public boolean send(byte[] data, InetSocketAddress target) {
		if (this.closed || data.length > IceTcpFraming.MAX_PACKET) {
			return false;
		}
		if (this.queued.addAndGet(data.length + 2L) > MAX_QUEUED_OCTETS) {
			this.queued.addAndGet(-(data.length + 2L));
			return false;
		}
		if (this.loop.inLoop()) {
			write(data, target);
			return true;
		}
		try {
			this.loop.execute(() -> write(data, target));
			return true;
		}
		catch (RuntimeException ex) {
			this.queued.addAndGet(-(data.length + 2L));
			return false;
		}
	}

	/** Closes every connection but the one to the selected remote address, if it is this link's. */
	@Override
	public void retainOnly(@Nullable InetSocketAddress remote) {
		for (Connection connection : List.copyOf(this.connections.values())) {
			if (!connection.remote.equals(remote)) {
				connection.close();
			}
		}
	}

	/** Closes the connection to one address, if there is one: a STUN server's, once it answered. */
	void closeConnection(InetSocketAddress remote) {
		Connection connection = this.connections.get(remote);
		if (connection != null) {
			connection.close();
		}
	}

	@Override
	public int connectionCount() {
		return this.connections.size();
	}

	@Override
	public void close() {
		this.closed = true;
		Runnable closing = () -> {
			List.copyOf(this.connections.values()).forEach(Connection::close);
			ServerSocketChannel accepting = this.listener;
			if (accepting != null) {
				closeQuietly(accepting);
			}
		};
		if (this.loop.inLoop() || this.loop.isClosed()) {
			closing.run();
		}
		else {
			try {
				this.loop.execute(closing);
			}
			catch (RuntimeException ex) {
				closing.run();
			}
		}
	}

	private void write(byte[] data, InetSocketAddress target) {
		boolean bare = this.stunServers.contains(target);
		if (bare) {
			this.queued.addAndGet(-2); // counted as a frame in send
		}
		ByteBuffer octets = ByteBuffer.wrap(bare ? data : IceTcpFraming.frame(data));
		Connection connection = this.connections.get(target);
		if (connection == null && !this.closed && this.type != IceTcpType.PASSIVE && makeRoom()) {
			Connection opening = new Connection(target, !bare, false);
			this.connections.put(target, opening);
			opening.enqueue(octets); // before connecting: a connection that fails at once still drops what waits
			opening.connect();
			return;
		}
		if (connection == null || this.closed) {
			// a passive candidate answers on the connections it accepted, and opens none
			this.queued.addAndGet(-octets.remaining());
			return;
		}
		connection.enqueue(octets);
	}

	/** Room for one more connection: the oldest accepted one that never carried an answer gives way. */
	private boolean makeRoom() {
		if (this.connections.size() < MAX_CONNECTIONS) {
			return true;
		}
		for (Connection connection : this.connections.values()) {
			if (connection.accepted && !connection.used) {
				connection.close();
				return true;
			}
		}
		return false;
	}

	private void deliver(byte[] packet, InetSocketAddress source) {
		IceSocket socket = this.receiver;
		if (socket != null && !this.closed) {
			socket.received(packet, source);
		}
	}

	private void closedByPeer(InetSocketAddress remote) {
		IceSocket socket = this.receiver;
		if (socket != null && !this.closed) {
			socket.connectionClosed(remote);
		}
	}

	/**
	 * Each frame goes at once: with Nagle's algorithm a check's answer would wait for the ACK of the frame before
	 * it, which the peer delays by 40 ms.
	 */
	private static void noDelay(SocketChannel channel) throws IOException {
		channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
	}

	private static void closeQuietly(java.nio.channels.Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Closing an ICE-TCP socket failed", ex);
		}
	}

	/** Takes the peer's connections to a passive or simultaneous-open candidate. */
	private final class Acceptor implements NatEventLoop.ChannelHandler {

		@Override
		public void ready(SelectionKey key) throws IOException {
			ServerSocketChannel accepting = (ServerSocketChannel) key.channel();
			SocketChannel channel;
			while ((channel = accepting.accept()) != null) {
				accepted(channel);
			}
		}

		private void accepted(SocketChannel channel) throws IOException {
			InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
			Connection existing = IceTcpLink.this.connections.get(remote);
			if (IceTcpLink.this.closed || (existing == null && !makeRoom())) {
				closeQuietly(channel);
				return;
			}
			Connection connection = new Connection(remote, true, true);
			if (existing != null) {
				// our own attempt to the same address lost the race: its waiting packets go on this one
				connection.inheritFrom(existing);
				existing.close();
			}
			IceTcpLink.this.connections.put(remote, connection);
			channel.configureBlocking(false);
			noDelay(channel);
			connection.attach(channel);
		}

		@Override
		public void failed(IOException failure) {
			logger.log(Level.DEBUG, () -> "ICE-TCP candidate " + IceTcpLink.this.base + " stopped accepting: "
					+ failure.getMessage());
		}

	}

	/** One connection to one remote address. */
	private final class Connection implements NatEventLoop.ChannelHandler {

		private final InetSocketAddress remote;

		private final IceTcpFraming.Reader reader;

		private final boolean accepted;

		private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();

		/** It carried a packet of ours: an answer to a valid check, or a check of our own. */
		private boolean used;

		private boolean connected;

		private boolean closedConnection;

		private @Nullable SocketChannel channel;

		private @Nullable SelectionKey key;

		private long firstTryNanos;

		private long retryNanos = FIRST_RETRY_NANOS;

		Connection(InetSocketAddress remote, boolean framed, boolean accepted) {
			this.remote = remote;
			this.reader = IceTcpFraming.reader(framed);
			this.accepted = accepted;
		}

		void connect() {
			if (this.firstTryNanos == 0) {
				this.firstTryNanos = System.nanoTime();
			}
			SocketChannel opened = null;
			try {
				opened = SocketChannel.open();
				opened.configureBlocking(false);
				noDelay(opened);
				if (IceTcpLink.this.type == IceTcpType.SIMULTANEOUS_OPEN) {
					opened.setOption(StandardSocketOptions.SO_REUSEADDR, true);
					opened.setOption(StandardSocketOptions.SO_REUSEPORT, true);
					opened.bind(IceTcpLink.this.base);
				}
				else {
					opened.bind(new InetSocketAddress(IceTcpLink.this.base.getAddress(), 0));
				}
				this.channel = opened;
				boolean done = opened.connect(this.remote);
				// the first readiness drops OP_WRITE if nothing waits by then
				IceTcpLink.this.loop.register(opened,
						done ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
				if (done) {
					this.connected = true;
				}
			}
			catch (IOException | RuntimeException ex) {
				if (opened != null) {
					closeQuietly(opened);
				}
				connectFailed(ex);
			}
		}

		void attach(SocketChannel accepted) {
			this.channel = accepted;
			this.connected = true;
			IceTcpLink.this.loop.register(accepted, SelectionKey.OP_READ | SelectionKey.OP_WRITE, this);
		}

		void inheritFrom(Connection other) {
			this.output.addAll(other.output);
			other.output.clear();
		}

		void enqueue(ByteBuffer octets) {
			if (this.closedConnection) {
				IceTcpLink.this.queued.addAndGet(-octets.remaining());
				return;
			}
			this.used = true;
			this.output.add(octets);
			SelectionKey registered = this.key;
			if (this.connected && registered != null && registered.isValid()) {
				registered.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
			}
		}

		@Override
		public void ready(SelectionKey readyKey) throws IOException {
			this.key = readyKey;
			SocketChannel socket = (SocketChannel) readyKey.channel();
			if (this.closedConnection) {
				readyKey.cancel();
				return;
			}
			if (readyKey.isConnectable()) {
				try {
					if (!socket.finishConnect()) {
						return; // not yet: OP_CONNECT again
					}
				}
				catch (IOException ex) {
					readyKey.cancel();
					closeQuietly(socket);
					connectFailed(ex);
					return;
				}
				this.connected = true;
			}
			if (readyKey.isValid() && readyKey.isReadable()) {
				read(socket);
			}
			if (readyKey.isValid() && readyKey.isWritable()) {
				flush(socket);
			}
			if (readyKey.isValid() && !this.closedConnection) {
				readyKey.interestOps(SelectionKey.OP_READ | writeInterest());
			}
		}

		private int writeInterest() {
			return this.output.isEmpty() ? 0 : SelectionKey.OP_WRITE;
		}

		private void read(SocketChannel socket) throws IOException {
			ByteBuffer buffer = IceTcpLink.this.readBuffer;
			buffer.clear();
			int count = socket.read(buffer);
			if (count < 0) {
				close();
				closedByPeer(this.remote);
				return;
			}
			buffer.flip();
			List<byte[]> packets;
			try {
				packets = this.reader.read(buffer);
			}
			catch (MalformedMessageException ex) {
				logger.log(Level.DEBUG, () -> "Closing the ICE-TCP connection from " + this.remote + ": " + ex.getMessage());
				close();
				return;
			}
			for (byte[] packet : packets) {
				deliver(packet, this.remote);
			}
		}

		private void flush(SocketChannel socket) throws IOException {
			ByteBuffer next;
			while ((next = this.output.peek()) != null) {
				int written = socket.write(next);
				IceTcpLink.this.queued.addAndGet(-written);
				if (next.hasRemaining()) {
					return;
				}
				this.output.poll();
			}
		}

		private void connectFailed(Exception failure) {
			this.channel = null;
			long now = System.nanoTime();
			// Simultaneous open: the peer's SYN may come after its NAT refused ours; try again, ever later.
			if (!this.closedConnection && !IceTcpLink.this.closed && IceTcpLink.this.type == IceTcpType.SIMULTANEOUS_OPEN
					&& now - this.firstTryNanos + this.retryNanos < CONNECT_PATIENCE_NANOS && !this.output.isEmpty()) {
				long delay = this.retryNanos;
				this.retryNanos = Math.min(this.retryNanos * 2, 500_000_000L);
				IceTcpLink.this.loop.scheduleNanos(() -> {
					if (!this.closedConnection && IceTcpLink.this.connections.get(this.remote) == this) {
						connect();
					}
				}, delay);
				return;
			}
			logger.log(Level.DEBUG, () -> "No ICE-TCP connection from " + IceTcpLink.this.base + " to " + this.remote
					+ ": " + failure.getMessage());
			close();
		}

		@Override
		public void failed(IOException failure) {
			if (!this.connected) {
				connectFailed(failure);
				return;
			}
			logger.log(Level.DEBUG, () -> "ICE-TCP connection to " + this.remote + " failed: " + failure.getMessage());
			close();
			closedByPeer(this.remote);
		}

		void close() {
			if (this.closedConnection) {
				return;
			}
			this.closedConnection = true;
			if (IceTcpLink.this.connections.get(this.remote) == this) {
				IceTcpLink.this.connections.remove(this.remote);
			}
			long unsent = 0;
			for (ByteBuffer waiting : this.output) {
				unsent += waiting.remaining();
			}
			this.output.clear();
			IceTcpLink.this.queued.addAndGet(-unsent);
			SocketChannel open = this.channel;
			if (open != null) {
				closeQuietly(open);
			}
		}

	}

	/** For tests: the remote addresses of the connections. */
	List<InetSocketAddress> remotes() {
		return new ArrayList<>(this.connections.keySet());
	}

}
