package dev.natboot.core.ice;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import org.jspecify.annotations.Nullable;

/**
 * TCP hole punching (TCP simultaneous open) for two peers that know each other's public endpoint: both connect
 * from the port they listen on to the other's, so that each NAT sees its own side's SYN go out before the peer's
 * comes in. Timing is everything where a router answers an early SYN with a reset, so the peers agree on it over
 * their signalling, as libp2p's DCUtR does: the initiator sends a message, the responder answers at once, the
 * initiator takes the round trip, sends a go message and starts half a round trip later
 * ({@code startDelay}), the responder the moment the go message arrives. Each side tries again, ever later,
 * while the other's SYN may still come, and takes whichever connection forms first: its own, or the peer's on
 * the listening port. Works through NATs that keep one public port per local port; for anything else use
 * {@link IceAgent} with {@code Transport.TCP}, which also tries port mappings and TCP relays.
 */
public final class TcpHolePunch {

	/** The first retry after a refused connection; each later one waits twice as long, up to a second. */
	static final long FIRST_RETRY_MILLIS = 10;

	/** How long a SYN may go unanswered before it is sent afresh, earlier than the kernel's 1 s retransmission. */
	static final long UNANSWERED_MILLIS = 250;

	/** Connections tried before giving up, whatever the timeout: a bound on what one call sends. */
	static final int MAX_ATTEMPTS = 200;

	private TcpHolePunch() {
	}

	/**
	 * A connection through both NATs.
	 * @param channel connected to the peer, in blocking mode, for the application's stream
	 * @param took from the start (after the start delay) to connected
	 * @param attempts how many connections this side tried
	 * @param accepted whether the peer's connection came in on the listening port rather than this side's out
	 */
	public record Path(SocketChannel channel, Duration took, int attempts, boolean accepted) {
	}

	/**
	 * This side's public endpoint for a local TCP port, from a STUN server over TCP (RFC 8489 section 6.2.2),
	 * asked from that port so that a NAT that keeps one public port per local port shows the one to punch with.
	 * @param localPort the port to ask from, and later to punch from
	 * @param server a STUN server's address (TCP, port 3478 for most)
	 * @param timeout how long to wait
	 * @return the public endpoint; fails with a {@link NatException}
	 */
	public static CompletableFuture<InetSocketAddress> publicEndpoint(int localPort, InetSocketAddress server,
			Duration timeout) {
		CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
		daemon(() -> {
			try (Socket socket = new Socket()) {
				socket.setReuseAddress(true);
				socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				socket.bind(new InetSocketAddress(localPort));
				socket.connect(server, (int) timeout.toMillis());
				socket.setSoTimeout((int) timeout.toMillis());
				StunMessage request = StunMessage.bindingRequest();
				socket.getOutputStream().write(StunCodec.encode(request));
				result.complete(read(socket.getInputStream(), request));
			}
			catch (IOException | MalformedMessageException | RuntimeException ex) {
				result.completeExceptionally(new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.STUN,
						NatException.NO_ROUTER_CODE, "STUN server " + server + " over TCP from port " + localPort + ": "
								+ ex.getMessage(), ex));
			}
		}, "natboot-tcp-stun").start();
		return result;
	}

	private static InetSocketAddress read(InputStream input, StunMessage request)
			throws IOException, MalformedMessageException {
		IceTcpFraming.Reader reader = IceTcpFraming.reader(false);
		byte[] buffer = new byte[StunCodec.MAX_MESSAGE_LENGTH];
		int count;
		while ((count = input.read(buffer)) >= 0) {
			List<byte[]> messages = reader.read(ByteBuffer.wrap(buffer, 0, count));
			if (!messages.isEmpty()) {
				StunMessage answer = StunCodec.decode(messages.get(0));
				if (!answer.hasTransactionId(request.transactionId())) {
					throw new MalformedMessageException("An answer to another request");
				}
				return answer.mappedAddress()
					.orElseThrow(() -> new MalformedMessageException("No XOR-MAPPED-ADDRESS in the answer"));
			}
		}
		throw new IOException("The server closed the connection before it answered");
	}

	/**
	 * Punches a TCP hole to a peer, on a daemon thread of its own.
	 * @param localPort the port the peer knows this side's public endpoint by (see {@link #publicEndpoint})
	 * @param remote the peer's public endpoint
	 * @param startDelay how long to wait before the first SYN: half the signalling round trip for the initiator,
	 *     zero for the responder
	 * @param timeout how long to try after that
	 * @return the connection; fails with a {@link NatException}: {@link NatErrorKind#NO_RESPONSE} when none formed
	 *     in time, {@link NatErrorKind#IO_ERROR} when the port cannot be bound
	 */
	public static CompletableFuture<Path> punch(int localPort, InetSocketAddress remote, Duration startDelay,
			Duration timeout) {
		CompletableFuture<Path> result = new CompletableFuture<>();
		daemon(() -> {
			try {
				Thread.sleep(startDelay.toMillis());
				result.complete(new Attempts(localPort, remote, timeout).run());
			}
			catch (NatException ex) {
				result.completeExceptionally(ex);
			}
			catch (IOException | RuntimeException ex) {
				result.completeExceptionally(new NatException(NatErrorKind.IO_ERROR, NatProtocol.ICE,
						NatException.NO_ROUTER_CODE, "TCP hole punching from port " + localPort + ": " + ex.getMessage(),
						ex));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				result.completeExceptionally(ex);
			}
		}, "natboot-tcp-punch").start();
		return result;
	}

	/** One call's connections and its listening socket, on its own thread. */
	private static final class Attempts {

		private final int localPort;

		private final InetSocketAddress remote;

		private final Duration timeout;

		private final long startNanos = System.nanoTime();

		private int attempts;

		Attempts(int localPort, InetSocketAddress remote, Duration timeout) {
			this.localPort = localPort;
			this.remote = remote;
			this.timeout = timeout;
		}

		Path run() throws IOException, NatException {
			long deadline = this.startNanos + this.timeout.toNanos();
			long retryMillis = FIRST_RETRY_MILLIS;
			SocketChannel won = null;
			boolean accepted = false;
			// closing the selector deregisters the channels, which may then block
			try (Selector selector = Selector.open(); ServerSocketChannel listener = ServerSocketChannel.open()) {
				listener.configureBlocking(false);
				reuse(listener);
				listener.bind(new InetSocketAddress(this.localPort), 8);
				listener.register(selector, SelectionKey.OP_ACCEPT);
				SocketChannel pending = null;
				long pendingSince = 0;
				long nextTry = System.nanoTime();
				while (won == null && System.nanoTime() - deadline < 0) {
					long now = System.nanoTime();
					if (pending != null && now - pendingSince > UNANSWERED_MILLIS * 1_000_000) {
						pending.close(); // an unanswered SYN: the peer's NAT may have opened since; send a fresh one
						pending = null;
						nextTry = now;
					}
					if (pending == null && now - nextTry >= 0) {
						if (this.attempts >= MAX_ATTEMPTS) {
							break;
						}
						pending = connect(selector);
						pendingSince = now;
						if (pending.isConnected()) {
							won = pending;
							break;
						}
					}
					long waitMillis = Math.max(1, Math.min((deadline - now) / 1_000_000,
							(pending != null) ? UNANSWERED_MILLIS : Math.max(1, (nextTry - now) / 1_000_000)));
					selector.select(waitMillis);
					for (SelectionKey key : selector.selectedKeys()) {
						if (won != null) {
							break;
						}
						if (key.isValid() && key.isAcceptable()) {
							SocketChannel incoming = listener.accept();
							if (incoming != null && this.remote.equals(incoming.getRemoteAddress())) {
								won = incoming;
								accepted = true;
							}
							else {
								closeQuietly(incoming); // only the peer is heard
							}
						}
						else if (key.isValid() && key.isConnectable()) {
							SocketChannel channel = (SocketChannel) key.channel();
							try {
								if (channel.finishConnect()) {
									won = channel;
								}
							}
							catch (IOException refused) {
								closeQuietly(channel);
								pending = null;
								nextTry = System.nanoTime() + retryMillis * 1_000_000;
								retryMillis = Math.min(retryMillis * 2, 1000);
							}
						}
					}
					selector.selectedKeys().clear();
				}
				if (pending != won) {
					closeQuietly(pending);
				}
			}
			if (won == null) {
				throw new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.ICE, NatException.NO_ROUTER_CODE,
						"No TCP connection with " + this.remote + " within " + this.timeout.toMillis() + " ms ("
								+ this.attempts + " tries)");
			}
			won.configureBlocking(true);
			won.setOption(StandardSocketOptions.TCP_NODELAY, true);
			return new Path(won, Duration.ofNanos(System.nanoTime() - this.startNanos), this.attempts, accepted);
		}

		private SocketChannel connect(Selector selector) throws IOException {
			this.attempts++;
			SocketChannel channel = SocketChannel.open();
			try {
				channel.configureBlocking(false);
				reuse(channel);
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				channel.bind(new InetSocketAddress(this.localPort));
				if (!channel.connect(this.remote)) {
					channel.register(selector, SelectionKey.OP_CONNECT);
				}
				return channel;
			}
			catch (IOException ex) {
				channel.close();
				throw ex;
			}
		}

		private static void reuse(java.nio.channels.NetworkChannel channel) throws IOException {
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		}

		private static void closeQuietly(@Nullable SocketChannel channel) {
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException ex) {
					// nothing to do for a connection given up
				}
			}
		}

	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
