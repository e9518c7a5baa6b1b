package dev.natboot.core.ice;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natboot.core.NatException;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.turn.TurnAllocation;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnDatagram;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnServer;

/**
 * A relayed candidate's way out: a UDP allocation on a TURN server (RFC 8656), whose relayed address is the
 * candidate and its own base. {@link TurnAllocation} blocks, so it gets two daemon threads of its own, as the
 * architecture asks of blocking clients: one sends in order (a permission for each new peer first, then the
 * datagram), one receives and hands each datagram to the loop. The send queue is bounded; beyond it datagrams
 * are dropped like any lost on the way.
 */
final class IceRelayLink implements IceSocket.Link {

	private static final System.Logger logger = System.getLogger(IceRelayLink.class.getName());

	/** Datagrams waiting for the sender thread; more are dropped. */
	static final int MAX_QUEUED = 256;

	private final TurnAllocation allocation;

	private final ExecutorService sender;

	private final Set<InetAddress> permitted = ConcurrentHashMap.newKeySet();

	private final AtomicInteger queued = new AtomicInteger();

	private volatile boolean closed;

	private IceRelayLink(TurnAllocation allocation, ExecutorService sender) {
		this.allocation = allocation;
		this.sender = sender;
	}

	/**
	 * Asks the server for an allocation, on the link's own sender thread.
	 * @return the link; fails with the server's {@link NatException}
	 */
	static CompletableFuture<IceRelayLink> allocate(TurnServer server, TurnCredentials credentials, TurnOptions options) {
		ExecutorService sender = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "natboot-ice-relay");
			thread.setDaemon(true);
			return thread;
		});
		CompletableFuture<IceRelayLink> result = new CompletableFuture<>();
		sender.execute(() -> {
			try {
				result.complete(new IceRelayLink(TurnAllocation.allocate(server, credentials,
						TurnAllocation.RelayTransport.UDP, options), sender));
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

	/** Starts handing what peers send through the relay to the socket, on the loop thread. */
	void start(NatEventLoop loop, IceSocket socket) {
		Thread reader = new Thread(() -> {
			while (!this.closed) {
				try {
					Optional<TurnDatagram> datagram = this.allocation.receive(Duration.ofMillis(500));
					datagram.ifPresent((received) -> loop.execute(() -> socket.received(received.data(), received.peer())));
				}
				catch (NatException | RuntimeException ex) {
					if (!this.closed) {
						logger.log(Level.DEBUG, () -> "The relay " + base() + " stopped: " + ex.getMessage());
					}
					return;
				}
			}
		}, "natboot-ice-relay-reader");
		reader.setDaemon(true);
		reader.start();
	}

	@Override
	public InetSocketAddress base() {
		return this.allocation.relayedAddress();
	}

	@Override
	public boolean send(byte[] data, InetSocketAddress target) {
		if (this.closed || this.queued.incrementAndGet() > MAX_QUEUED) {
			this.queued.decrementAndGet();
			return false;
		}
		try {
			this.sender.execute(() -> {
				this.queued.decrementAndGet();
				relay(data, target);
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			this.queued.decrementAndGet();
			return false;
		}
	}

	/**
	 * Installs the permissions for every address of the peer in one request, before the first check: the peer's
	 * own checks to the relayed address are dropped by the server until then.
	 */
	@Override
	public void expect(java.util.Collection<InetAddress> peers) {
		java.util.List<InetAddress> fresh = peers.stream().filter(this.permitted::add).distinct().toList();
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
					logger.log(Level.DEBUG, () -> "The relay " + base() + " could not let in " + fresh + ": " + ex.getMessage());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			fresh.forEach(this.permitted::remove);
		}
	}

	private void relay(byte[] data, InetSocketAddress target) {
		try {
			if (this.permitted.add(target.getAddress())) {
				this.allocation.createPermission(target.getAddress());
			}
			this.allocation.send(target, data);
		}
		catch (NatException | RuntimeException ex) {
			this.permitted.remove(target.getAddress());
			logger.log(Level.DEBUG, () -> "The relay " + base() + " could not send to " + target + ": " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			// deleting the allocation waits for the server, at most its request timeout: never on the loop
			this.sender.execute(this.allocation::close);
		}
		catch (RejectedExecutionException ex) {
			// shut down already
		}
		this.sender.shutdown();
	}

}
