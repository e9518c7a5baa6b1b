package dev.natboot.core.ice;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatException;
import dev.natboot.core.Transport;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.turn.TurnAllocation;
import dev.natboot.core.turn.TurnConnectionAttempt;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnPeerConnection;
import dev.natboot.core.turn.TurnServer;
import org.jspecify.annotations.Nullable;

/**
 * A relayed TCP candidate's way out: a TCP allocation on a TURN server (RFC 6062), whose relayed address is a
 * passive candidate. A peer's active candidate connects to it; the server tells of the connection (a
 * ConnectionAttempt), and a data connection to the server bound to it then carries the peer's RFC 4571 frames.
 * That is the stream that always connects: only outgoing TCP, from both sides, to the server. {@link
 * TurnAllocation} blocks, so the link has threads of its own: one waits for the server's ConnectionAttempts, one
 * sends in order, one reads each peer's connection. At most {@value #MAX_CONNECTIONS} peers' connections, and
 * {@value IceTcpLink#MAX_QUEUED_OCTETS} octets waiting to be sent.
 */
final class IceTcpRelayLink implements IceSocket.Link {

	private static final System.Logger logger = System.getLogger(IceTcpRelayLink.class.getName());

	static final int MAX_CONNECTIONS = 16;

	private final TurnAllocation allocation;

	private final ExecutorService sender;

	private final Map<InetSocketAddress, TurnPeerConnection> connections = new ConcurrentHashMap<>();

	private final Set<InetAddress> permitted = ConcurrentHashMap.newKeySet();

	private final AtomicLong queued = new AtomicLong();

	private volatile boolean closed;

	private IceTcpRelayLink(TurnAllocation allocation, ExecutorService sender) {
		this.allocation = allocation;
		this.sender = sender;
	}

	/**
	 * Asks the server for a TCP allocation over TCP (or TLS, if that is how the server is named): a server named
	 * for UDP is asked over TCP at the same port, where TURN servers listen for both.
	 * @return the link; fails with the server's {@link NatException}
	 */
	static CompletableFuture<IceTcpRelayLink> allocate(TurnServer server, TurnCredentials credentials,
			TurnOptions options) {
		TurnServer overStream = (server.transport() == TurnServer.Transport.UDP)
				? new TurnServer(server.host(), server.port(), TurnServer.Transport.TCP) : server;
		ExecutorService sender = Executors.newSingleThreadExecutor((task) -> daemon(task, "natboot-ice-tcp-relay"));
		CompletableFuture<IceTcpRelayLink> result = new CompletableFuture<>();
		sender.execute(() -> {
			try {
				result.complete(new IceTcpRelayLink(TurnAllocation.allocate(overStream, credentials,
						TurnAllocation.RelayTransport.TCP, options), sender));
			}
			catch (NatException | RuntimeException ex) {
				sender.shutdown();
				result.completeExceptionally(ex);
			}
		});
		return result;
	}

	Optional<InetSocketAddress> mappedAddress() {
		return this.allocation.mappedAddress();
	}

	/** Starts taking the peers' connections, handing their frames to the socket on the loop thread. */
	void start(NatEventLoop loop, IceSocket socket) {
		daemon(() -> acceptConnections(loop, socket), "natboot-ice-tcp-relay-accept").start();
	}

	private void acceptConnections(NatEventLoop loop, IceSocket socket) {
		while (!this.closed) {
			TurnConnectionAttempt attempt;
			try {
				attempt = this.allocation.awaitConnectionAttempt(Duration.ofMillis(500)).orElse(null);
			}
			catch (NatException | RuntimeException ex) {
				if (!this.closed) {
					logger.log(Level.DEBUG, () -> "The TCP relay " + base() + " stopped: " + ex.getMessage());
				}
				return;
			}
			if (attempt == null || this.connections.size() >= MAX_CONNECTIONS
					|| this.connections.containsKey(attempt.peer())) {
				continue; // one not bound in 30 s is dropped by the server
			}
			try {
				TurnPeerConnection connection = this.allocation.openConnection(attempt.connectionId());
				this.connections.put(attempt.peer(), connection);
				daemon(() -> read(loop, socket, attempt.peer(), connection), "natboot-ice-tcp-relay-read").start();
			}
			catch (NatException | RuntimeException ex) {
				logger.log(Level.DEBUG, () -> "The TCP relay " + base() + " could not take " + attempt.peer() + "'s "
						+ "connection: " + ex.getMessage());
			}
		}
	}

	private void read(NatEventLoop loop, IceSocket socket, InetSocketAddress peer, TurnPeerConnection connection) {
		IceTcpFraming.Reader reader = IceTcpFraming.reader(true);
		byte[] buffer = new byte[16 * 1024];
		try (InputStream input = connection.input()) {
			int count;
			while (!this.closed && (count = input.read(buffer)) >= 0) {
				for (byte[] packet : reader.read(ByteBuffer.wrap(buffer, 0, count))) {
					loop.execute(() -> socket.received(packet, peer));
				}
			}
		}
		catch (IOException | MalformedMessageException | RuntimeException ex) {
			if (!this.closed) {
				logger.log(Level.DEBUG, () -> "The TCP relay's connection from " + peer + " ended: " + ex.getMessage());
			}
		}
		finally {
			boolean ours = this.connections.remove(peer, connection);
			closeQuietly(connection);
			if (ours && !this.closed) {
				loop.execute(() -> socket.connectionClosed(peer)); // not one this side closed (retainOnly, close)
			}
		}
	}

	@Override
	public InetSocketAddress base() {
		return this.allocation.relayedAddress();
	}

	@Override
	public Transport transport() {
		return Transport.TCP;
	}

	@Override
	public IceTcpType tcpType() {
		return IceTcpType.PASSIVE;
	}

	/** Sends a frame on the peer's connection; a passive candidate opens none, so with none it is dropped. */
	@Override
	public boolean send(byte[] data, InetSocketAddress target) {
		TurnPeerConnection connection = this.connections.get(target);
		if (this.closed || connection == null || data.length > IceTcpFraming.MAX_PACKET) {
			return false;
		}
		byte[] frame = IceTcpFraming.frame(data);
		if (this.queued.addAndGet(frame.length) > IceTcpLink.MAX_QUEUED_OCTETS) {
			this.queued.addAndGet(-frame.length);
			return false;
		}
		try {
			this.sender.execute(() -> {
				this.queued.addAndGet(-frame.length);
				try {
					connection.output().write(frame);
				}
				catch (IOException ex) {
					logger.log(Level.DEBUG, () -> "The TCP relay could not send to " + target + ": " + ex.getMessage());
					this.connections.remove(target, connection);
					closeQuietly(connection);
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			this.queued.addAndGet(-frame.length);
			return false;
		}
	}

	/** The server passes a peer's connection only with a permission for its address: installed before its check. */
	@Override
	public void expect(java.util.Collection<InetAddress> peers) {
		List<InetAddress> fresh = peers.stream().filter(this.permitted::add).distinct().toList();
		if (fresh.isEmpty() || this.closed) {
			return;
		}
		try {
			this.sender.execute(() -> {
				try {
					this.allocation.createPermission(fresh.toArray(InetAddress[]::new));
				}
				catch (NatException | RuntimeException ex) {
					fresh.forEach(this.permitted::remove);
					logger.log(Level.DEBUG, () -> "The TCP relay " + base() + " could not let in " + fresh + ": "
							+ ex.getMessage());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			fresh.forEach(this.permitted::remove);
		}
	}

	@Override
	public void retainOnly(@Nullable InetSocketAddress remote) {
		this.connections.forEach((peer, connection) -> {
			if (!peer.equals(remote) && this.connections.remove(peer, connection)) {
				closeQuietly(connection);
			}
		});
	}

	@Override
	public int connectionCount() {
		return this.connections.size();
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.connections.values().forEach(IceTcpRelayLink::closeQuietly);
		this.connections.clear();
		try {
			// deleting the allocation waits for the server, at most its request timeout: never on the loop
			this.sender.execute(this.allocation::close);
		}
		catch (RejectedExecutionException ex) {
			// shut down already
		}
		this.sender.shutdown();
	}

	private static void closeQuietly(TurnPeerConnection connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Closing a TCP relay connection failed", ex);
		}
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
