package dev.natboot.core.stun;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.io.NatEventLoop.Timer;
import org.jspecify.annotations.Nullable;

/**
 * STUN over UDP from one local socket (RFC 8489 section 6.2.1), driven by a {@link NatEventLoop}. The socket is not
 * connected: one socket talks to several server addresses, and answers to a CHANGE-REQUEST come from another
 * address than the one asked, so a response is matched by its transaction id (96 random bits) alone, and the
 * caller checks where it came from.
 */
public final class StunClient implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(StunClient.class.getName());

	/**
	 * For a server across the internet, RFC 8489 section 6.2.1: 500 ms doubling, 7 tries; the last wait is capped
	 * at 8 s instead of the RFC's 16 x RTO, which gives up after about 31 s instead of 39.5 s.
	 */
	public static final Retransmission WAN = new Retransmission(Duration.ofMillis(500), Duration.ofSeconds(8), 7);

	/** For a server on the LAN or one whose round trip was measured: 100 ms doubling, 5 tries, about 3 s. */
	public static final Retransmission LAN = new Retransmission(Duration.ofMillis(100), Duration.ofSeconds(2), 5);

	private final NatEventLoop loop;

	private final DatagramChannel channel;

	private final InetSocketAddress localAddress;

	private final List<Pending> pending = new ArrayList<>();

	private final List<AwaitedRequest> awaitedRequests = new ArrayList<>();

	/**
	 * Opens a socket and registers it with the loop.
	 * @param loop the loop that runs every transaction
	 * @param localAddress the local address to bind, port 0 for any; {@code null} for the wildcard address
	 * @throws NatException if the socket cannot be opened
	 */
	public StunClient(NatEventLoop loop, @Nullable InetSocketAddress localAddress) throws NatException {
		this.loop = loop;
		try {
			this.channel = DatagramChannel.open();
			this.channel.configureBlocking(false);
			this.channel.bind(localAddress);
			this.localAddress = (InetSocketAddress) this.channel.getLocalAddress();
		}
		catch (IOException | RuntimeException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
					"Cannot open a STUN socket: " + ex.getMessage(), ex);
		}
		loop.register(this.channel, new Receiver());
	}

	/**
	 * The local address this host uses to reach a server, as the routing table chooses it; no packet is sent.
	 * @param server the server
	 * @return the local address
	 * @throws NatException if no route leads there
	 */
	public static InetAddress localAddressToward(InetSocketAddress server) throws NatException {
		try (DatagramChannel probe = DatagramChannel.open()) {
			probe.connect(server);
			return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
		}
		catch (IOException | RuntimeException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
					"No route to STUN server " + server + ": " + ex.getMessage(), ex);
		}
	}

	public InetSocketAddress localAddress() {
		return this.localAddress;
	}

	/**
	 * Sends a Binding request and returns the success response.
	 * @param server the server
	 * @param retransmission when to send again
	 * @param attributes attributes to add, such as a {@link StunAttribute.ChangeRequest}
	 * @return the response; completes on the loop thread, exceptionally with a {@link NatException}: no answer
	 * ({@link NatErrorKind#NO_RESPONSE}), an error response ({@link NatErrorKind#PROTOCOL_ERROR} with the STUN
	 * error code), or a response this client must not use ({@link NatErrorKind#MALFORMED_RESPONSE})
	 */
	public CompletableFuture<StunResponse> binding(InetSocketAddress server, Retransmission retransmission,
			StunAttribute... attributes) {
		return send(server, StunMessage.bindingRequest(attributes), retransmission).thenApply(StunClient::successful);
	}

	/**
	 * Sends a request until a response with its transaction id arrives or the schedule runs out.
	 * @param server the server
	 * @param request the request
	 * @param retransmission when to send again
	 * @return any response, success or error, as it arrived
	 */
	public CompletableFuture<StunResponse> send(InetSocketAddress server, StunMessage request,
			Retransmission retransmission) {
		CompletableFuture<StunResponse> result = new CompletableFuture<>();
		Pending transaction = new Pending(server, request, StunCodec.encode(request), retransmission, result);
		try {
			this.loop.execute(() -> {
				this.pending.add(transaction);
				transmit(transaction);
			});
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(closed());
		}
		return result;
	}

	/**
	 * Sends one message and expects no answer: to open a NAT's filter toward an address.
	 * @param destination where to
	 * @param message the message
	 */
	public void sendOnce(InetSocketAddress destination, StunMessage message) {
		byte[] data = StunCodec.encode(message);
		this.loop.execute(() -> {
			try {
				this.channel.send(ByteBuffer.wrap(data), destination);
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, () -> "Cannot send to " + destination + ": " + ex.getMessage());
			}
		});
	}

	/**
	 * Waits for a request with a given transaction id to arrive on this socket: another socket's request sent to
	 * this one's mapped address, for the hairpinning test (RFC 5780 section 4.5).
	 * @param transactionId the id to wait for
	 * @param timeout how long to wait
	 * @return the request and its source; completes exceptionally with {@link NatErrorKind#NO_RESPONSE}
	 */
	public CompletableFuture<StunResponse> awaitRequest(byte[] transactionId, Duration timeout) {
		CompletableFuture<StunResponse> result = new CompletableFuture<>();
		AwaitedRequest awaited = new AwaitedRequest(transactionId.clone(), System.nanoTime(), result);
		try {
			this.loop.execute(() -> {
				this.awaitedRequests.add(awaited);
				awaited.timer = this.loop.schedule(() -> {
					this.awaitedRequests.remove(awaited);
					result.completeExceptionally(new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.STUN,
							"No request arrived within " + timeout.toMillis() + " ms"));
				}, timeout);
			});
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(closed());
		}
		return result;
	}

	/**
	 * Checks that a response is a usable success response, as RFC 8489 section 7.3 asks of a client.
	 * @param response a response to a Binding request
	 * @return the response
	 * @throws java.util.concurrent.CompletionException with a {@link NatException} if it is not usable
	 */
	static StunResponse successful(StunResponse response) {
		StunMessage message = response.message();
		NatException problem = null;
		if (!message.unknownComprehensionRequired().isEmpty()) {
			problem = new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.STUN,
					"STUN server " + response.source() + " answered with unknown comprehension-required attributes "
							+ message.unknownComprehensionRequired().stream().map(StunAttributeType::name).toList());
		}
		else if (message.messageClass() == StunMessageClass.ERROR_RESPONSE) {
			StunAttribute.ErrorCode error = message.attribute(StunAttribute.ErrorCode.class).orElse(null);
			problem = (error != null)
					? new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.STUN, error.code(),
							"STUN server " + response.source() + " answered " + error.code() + " " + error.reason())
					: new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.STUN,
							"STUN server " + response.source() + " sent an error response without ERROR-CODE");
		}
		else if (message.mappedAddress().isEmpty()) {
			problem = new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.STUN,
					"STUN server " + response.source() + " sent no XOR-MAPPED-ADDRESS or MAPPED-ADDRESS");
		}
		if (problem != null) {
			throw new java.util.concurrent.CompletionException(problem);
		}
		return response;
	}

	/**
	 * Fails every transaction under way and closes the socket.
	 */
	@Override
	public void close() {
		if (this.loop.isClosed()) {
			closeChannel();
			return;
		}
		try {
			this.loop.execute(() -> {
				List.copyOf(this.pending).forEach((transaction) -> fail(transaction, closed()));
				List.copyOf(this.awaitedRequests).forEach((awaited) -> {
					awaited.cancel();
					awaited.result.completeExceptionally(closed());
				});
				this.awaitedRequests.clear();
				closeChannel();
			});
		}
		catch (RuntimeException ex) {
			closeChannel();
		}
	}

	private void closeChannel() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Closing STUN socket failed", ex);
		}
	}

	private static NatException closed() {
		return new NatException(NatErrorKind.IO_ERROR, NatProtocol.STUN, "STUN client closed");
	}

	private void transmit(Pending transaction) {
		if (transaction.result.isDone()) {
			this.pending.remove(transaction);
			return;
		}
		transaction.attempt++;
		try {
			this.channel.send(ByteBuffer.wrap(transaction.request), transaction.server);
		}
		catch (IOException ex) {
			fail(transaction, new NatException(NatErrorKind.IO_ERROR, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
					"Cannot send to STUN server " + transaction.server + ": " + ex.getMessage(), ex));
			return;
		}
		transaction.timer = this.loop.scheduleNanos(() -> timedOut(transaction),
				transaction.retransmission.timeoutNanos(transaction.attempt));
	}

	private void timedOut(Pending transaction) {
		if (transaction.attempt < transaction.retransmission.attempts()) {
			transmit(transaction);
			return;
		}
		fail(transaction, new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.STUN, "No answer from STUN server "
				+ transaction.server + " after " + transaction.attempt + " tries"));
	}

	private void fail(Pending transaction, NatException failure) {
		this.pending.remove(transaction);
		transaction.cancelTimer();
		transaction.result.completeExceptionally(failure);
	}

	private final class Receiver implements NatEventLoop.DatagramHandler {

		@Override
		public void received(byte[] data, SocketAddress source) {
			if (!StunCodec.looksLikeStun(data)) {
				return;
			}
			StunMessage message;
			try {
				message = StunCodec.decode(data);
			}
			catch (MalformedMessageException ex) {
				logger.log(Level.DEBUG, () -> "Ignoring malformed STUN message from " + source + ": " + ex.getMessage());
				return;
			}
			InetSocketAddress from = (InetSocketAddress) source;
			if (message.messageClass() == StunMessageClass.REQUEST) {
				for (AwaitedRequest awaited : StunClient.this.awaitedRequests) {
					if (message.hasTransactionId(awaited.transactionId)) {
						StunClient.this.awaitedRequests.remove(awaited);
						awaited.cancel();
						awaited.result.complete(new StunResponse(message, from,
								Duration.ofNanos(System.nanoTime() - awaited.startedNanos), 1));
						return;
					}
				}
				return;
			}
			for (Pending transaction : StunClient.this.pending) {
				if (message.messageClass().isResponse() && message.method() == transaction.message.method()
						&& message.hasTransactionId(transaction.transactionId)) {
					StunClient.this.pending.remove(transaction);
					transaction.cancelTimer();
					transaction.result.complete(new StunResponse(message, from,
							Duration.ofNanos(System.nanoTime() - transaction.startedNanos), transaction.attempt));
					return;
				}
			}
			logger.log(Level.DEBUG, () -> "Ignoring unsolicited STUN message from " + source + ": " + message);
		}

		@Override
		public void failed(IOException failure) {
			logger.log(Level.DEBUG, "STUN receive failed", failure);
		}

	}

	private static final class Pending {

		final InetSocketAddress server;

		final StunMessage message;

		final byte[] transactionId;

		final byte[] request;

		final Retransmission retransmission;

		final CompletableFuture<StunResponse> result;

		final long startedNanos = System.nanoTime();

		int attempt;

		@Nullable Timer timer;

		Pending(InetSocketAddress server, StunMessage message, byte[] request, Retransmission retransmission,
				CompletableFuture<StunResponse> result) {
			this.server = server;
			this.message = message;
			this.transactionId = message.transactionId();
			this.request = request;
			this.retransmission = retransmission;
			this.result = result;
		}

		void cancelTimer() {
			Timer current = this.timer;
			if (current != null) {
				current.cancel();
			}
		}

	}

	private static final class AwaitedRequest {

		final byte[] transactionId;

		final long startedNanos;

		final CompletableFuture<StunResponse> result;

		@Nullable Timer timer;

		AwaitedRequest(byte[] transactionId, long startedNanos, CompletableFuture<StunResponse> result) {
			this.transactionId = transactionId;
			this.startedNanos = startedNanos;
			this.result = result;
		}

		void cancel() {
			Timer current = this.timer;
			if (current != null) {
				current.cancel();
			}
		}

	}

}
