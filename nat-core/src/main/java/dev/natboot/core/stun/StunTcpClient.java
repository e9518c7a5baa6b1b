package dev.natboot.core.stun;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * STUN over TCP (RFC 8489 section 6.2.2), driven by a {@link NatEventLoop}: one connection per transaction, the
 * request written once (TCP retransmits), the response framed by its own length field and bounded in size and
 * time. What TCP shows is the public address of this host's TCP connections, the transport of a web server.
 */
public final class StunTcpClient {

	/** RFC 8489's transaction timeout for TCP (Ti). */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(39_500);

	private final NatEventLoop loop;

	public StunTcpClient(NatEventLoop loop) {
		this.loop = loop;
	}

	/**
	 * Sends a Binding request over a new connection and returns the success response.
	 * @param server the server
	 * @param timeout longest time for connecting, sending and receiving
	 * @param attributes attributes to add
	 * @return the response; completes on the loop thread, exceptionally with a {@link NatException} as for
	 * {@link StunClient#binding}
	 */
	public CompletableFuture<StunResponse> binding(InetSocketAddress server, Duration timeout,
			StunAttribute... attributes) {
		return send(server, StunMessage.bindingRequest(attributes), timeout).thenApply(StunClient::successful);
	}

	/**
	 * Sends a request over a new connection and returns the response with its transaction id.
	 * @param server the server
	 * @param request the request
	 * @param timeout longest time for the whole transaction
	 * @return the response as it arrived, success or error
	 */
	public CompletableFuture<StunResponse> send(InetSocketAddress server, StunMessage request, Duration timeout) {
		CompletableFuture<StunResponse> result = new CompletableFuture<>();
		Transaction transaction = new Transaction(server, request, result);
		try {
			this.loop.execute(() -> transaction.start(timeout));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new NatException(NatErrorKind.IO_ERROR, NatProtocol.STUN, "Engine closed"));
		}
		return result;
	}

	/** One request on one connection; every method runs on the loop thread. */
	private final class Transaction implements NatEventLoop.ChannelHandler {

		private final InetSocketAddress server;

		private final StunMessage request;

		private final ByteBuffer output;

		private final CompletableFuture<StunResponse> result;

		private ByteBuffer input = ByteBuffer.allocate(StunCodec.HEADER_LENGTH);

		private boolean headerRead;

		private final long startedNanos = System.nanoTime();

		private @Nullable SocketChannel channel;

		private NatEventLoop.@Nullable Timer deadline;

		Transaction(InetSocketAddress server, StunMessage request, CompletableFuture<StunResponse> result) {
			this.server = server;
			this.request = request;
			this.output = ByteBuffer.wrap(StunCodec.encode(request));
			this.result = result;
		}

		void start(Duration timeout) {
			this.deadline = StunTcpClient.this.loop.schedule(() -> fail(new NatException(NatErrorKind.NO_RESPONSE,
					NatProtocol.STUN, "No answer from STUN server " + this.server + " over TCP within "
							+ timeout.toMillis() + " ms")),
					timeout);
			try {
				SocketChannel opened = SocketChannel.open();
				this.channel = opened;
				opened.configureBlocking(false);
				boolean connected = opened.connect(this.server);
				StunTcpClient.this.loop.register(opened, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT,
						this);
			}
			catch (IOException | RuntimeException ex) {
				failed((ex instanceof IOException io) ? io : new IOException(ex.getMessage(), ex));
			}
		}

		@Override
		public void ready(SelectionKey key) throws IOException {
			SocketChannel socket = (SocketChannel) key.channel();
			if (this.result.isDone()) {
				close();
				return;
			}
			if (key.isConnectable()) {
				socket.finishConnect();
				key.interestOps(SelectionKey.OP_WRITE);
			}
			if (key.isValid() && key.isWritable()) {
				socket.write(this.output);
				if (!this.output.hasRemaining()) {
					key.interestOps(SelectionKey.OP_READ);
				}
			}
			if (key.isValid() && key.isReadable()) {
				read(socket);
			}
		}

		private void read(SocketChannel socket) throws IOException {
			int count = socket.read(this.input);
			if (count < 0) {
				fail(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.STUN,
						"STUN server " + this.server + " closed the connection before a complete response"));
				return;
			}
			if (this.input.hasRemaining()) {
				return;
			}
			try {
				if (!this.headerRead) {
					this.headerRead = true;
					int length = StunCodec.messageLength(this.input.array());
					this.input = ByteBuffer.allocate(length).put(this.input.array());
					if (this.input.hasRemaining()) {
						return;
					}
				}
				StunMessage message = StunCodec.decode(this.input.array());
				if (!message.messageClass().isResponse() || message.method() != this.request.method()
						|| !message.hasTransactionId(this.request.transactionId())) {
					throw new MalformedMessageException("Response for another transaction: " + message);
				}
				close();
				this.result.complete(new StunResponse(message, this.server,
						Duration.ofNanos(System.nanoTime() - this.startedNanos), 1));
			}
			catch (MalformedMessageException ex) {
				fail(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
						"STUN server " + this.server + ": " + ex.getMessage(), ex));
			}
		}

		@Override
		public void failed(IOException failure) {
			NatErrorKind kind = (failure instanceof ConnectException) ? NatErrorKind.NO_RESPONSE : NatErrorKind.IO_ERROR;
			fail(new NatException(kind, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
					"STUN server " + this.server + " over TCP: " + failure.getMessage(), failure));
		}

		private void fail(NatException failure) {
			close();
			this.result.completeExceptionally(failure);
		}

		private void close() {
			NatEventLoop.Timer timer = this.deadline;
			if (timer != null) {
				timer.cancel();
			}
			SocketChannel socket = this.channel;
			if (socket != null) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// Nothing left to do with it.
				}
			}
		}

	}

}
