package dev.natboot.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/1.1 client for talking to devices on the LAN, run by the engine's {@link NatEventLoop}: plain
 * HTTP to an IP literal, one request per connection ({@code Connection: close}), the request written in one
 * piece, and the answer bounded in size (headers and body, chunked or not) and in time (the whole exchange,
 * so a device that drips bytes cannot hold it). It exists because the JDK's {@code HttpClient} costs about
 * 250-450 ms to build (it always initialises TLS), a thread of its own, and 300 ms at JVM exit on Java 17;
 * see docs/benchmarks.md.
 */
public final class LoopHttpClient {

	private static final System.Logger logger = System.getLogger(LoopHttpClient.class.getName());

	/** Largest header section accepted. */
	static final int MAX_HEADER_LENGTH = 16 * 1024;

	private final NatEventLoop loop;

	private final NatProtocol protocol;

	/** The address connections are made from, {@code null} for the one the kernel picks. */
	private final @Nullable InetAddress localAddress;

	public LoopHttpClient(NatEventLoop loop, NatProtocol protocol) {
		this(loop, protocol, null);
	}

	/**
	 * A client whose connections come from a local address of the caller's choice: a router that checks who
	 * asks (miniupnpd's AddPinhole takes only the internal client itself) must see the stable IPv6 address, not
	 * the temporary one the kernel prefers.
	 * @param loop the loop
	 * @param protocol the protocol named in errors
	 * @param localAddress the address to connect from, {@code null} for the kernel's choice
	 */
	public LoopHttpClient(NatEventLoop loop, NatProtocol protocol, @Nullable InetAddress localAddress) {
		this.loop = loop;
		this.protocol = protocol;
		this.localAddress = localAddress;
	}

	/**
	 * Sends a request.
	 * @param method GET or POST
	 * @param url an {@code http} URL whose host is an IP literal
	 * @param headers extra header fields
	 * @param body the body, empty for none
	 * @param maxBodyLength largest body accepted
	 * @param timeout longest time for the whole exchange
	 * @return the answer; completes on the loop thread, exceptionally with a {@link NatException}
	 */
	public CompletableFuture<Answer> send(String method, URI url, Map<String, String> headers, byte[] body,
			int maxBodyLength, Duration timeout) {
		CompletableFuture<Answer> result = new CompletableFuture<>();
		InetAddress host = IpLiteral.parse(url.getHost());
		if (!"http".equalsIgnoreCase(url.getScheme()) || host == null) {
			result.completeExceptionally(new NatException(NatErrorKind.PROTOCOL_ERROR, this.protocol,
					"Only http URLs to an IP address are used: " + url));
			return result;
		}
		int port = (url.getPort() > 0) ? url.getPort() : 80;
		Exchange exchange = new Exchange(method + " " + url, request(method, url, port, headers, body),
				maxBodyLength, result);
		try {
			this.loop.execute(() -> exchange.start(new InetSocketAddress(host, port), timeout));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new NatException(NatErrorKind.IO_ERROR, this.protocol, "Engine closed"));
		}
		return result;
	}

	private static byte[] request(String method, URI url, int port, Map<String, String> headers, byte[] body) {
		String path = ((url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath())
				+ ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "");
		StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
			.append("Host: ").append(url.getHost()).append(':').append(port).append("\r\n")
			.append("Connection: close\r\n")
			.append("User-Agent: natboot\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		if (body.length > 0 || method.equals("POST")) {
			head.append("Content-Length: ").append(body.length).append("\r\n");
		}
		head.append("\r\n");
		byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
		byte[] request = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, request, 0, headBytes.length);
		System.arraycopy(body, 0, request, headBytes.length, body.length);
		return request;
	}

	/**
	 * An HTTP answer.
	 *
	 * @param status the status code
	 * @param body the body, de-chunked
	 */
	public record Answer(int status, byte[] body) {

	}

	/** One request on one connection; every method runs on the loop thread. */
	private final class Exchange implements NatEventLoop.ChannelHandler {

		private final String what;

		private final ByteBuffer request;

		private final int maxBodyLength;

		private final CompletableFuture<Answer> result;

		private final ByteBuffer readBuffer = ByteBuffer.allocate(8192);

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private @Nullable SocketChannel channel;

		private NatEventLoop.@Nullable Timer deadline;

		Exchange(String what, byte[] request, int maxBodyLength, CompletableFuture<Answer> result) {
			this.what = what;
			this.request = ByteBuffer.wrap(request);
			this.maxBodyLength = maxBodyLength;
			this.result = result;
		}

		void start(InetSocketAddress address, Duration timeout) {
			this.deadline = LoopHttpClient.this.loop.schedule(() -> fail(new NatException(NatErrorKind.NO_RESPONSE,
					LoopHttpClient.this.protocol, this.what + " did not complete within " + timeout.toMillis() + " ms")),
					timeout);
			try {
				SocketChannel opened = SocketChannel.open();
				this.channel = opened;
				opened.configureBlocking(false);
				if (LoopHttpClient.this.localAddress != null) {
					opened.bind(new InetSocketAddress(LoopHttpClient.this.localAddress, 0));
				}
				boolean connected = opened.connect(address);
				LoopHttpClient.this.loop.register(opened, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
			}
			catch (IOException ex) {
				failed(ex);
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
				socket.write(this.request);
				if (!this.request.hasRemaining()) {
					key.interestOps(SelectionKey.OP_READ);
				}
			}
			if (key.isValid() && key.isReadable()) {
				read(socket);
			}
		}

		private void read(SocketChannel socket) throws IOException {
			int count;
			while ((count = socket.read(this.readBuffer.clear())) > 0) {
				this.received.write(this.readBuffer.array(), 0, count);
				if (this.received.size() > MAX_HEADER_LENGTH + 2L * this.maxBodyLength) {
					fail(new NatException(NatErrorKind.MALFORMED_RESPONSE, LoopHttpClient.this.protocol,
							this.what + ": answer exceeds " + this.maxBodyLength + " octets"));
					return;
				}
				if (parsed(false)) {
					return;
				}
			}
			if (count < 0 && !parsed(true)) {
				fail(new NatException(NatErrorKind.MALFORMED_RESPONSE, LoopHttpClient.this.protocol,
						this.what + ": connection closed before a complete answer"));
			}
		}

		/** Completes the exchange if the answer is complete or cannot be valid; true if it did. */
		private boolean parsed(boolean ended) {
			try {
				Answer answer = HttpAnswerParser.parseIfComplete(this.received.toByteArray(), ended, this.maxBodyLength);
				if (answer != null) {
					succeed(answer);
					return true;
				}
				return false;
			}
			catch (MalformedMessageException ex) {
				fail(new NatException(NatErrorKind.MALFORMED_RESPONSE, LoopHttpClient.this.protocol,
						NatException.NO_ROUTER_CODE, this.what + ": " + ex.getMessage(), ex));
				return true;
			}
		}

		@Override
		public void failed(IOException failure) {
			NatErrorKind kind = (failure instanceof ConnectException) ? NatErrorKind.NO_RESPONSE : NatErrorKind.IO_ERROR;
			fail(new NatException(kind, LoopHttpClient.this.protocol, NatException.NO_ROUTER_CODE,
					this.what + ": " + failure.getMessage(), failure));
		}

		private void succeed(Answer answer) {
			close();
			this.result.complete(answer);
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
					logger.log(Level.DEBUG, "Closing HTTP connection failed", ex);
				}
			}
		}

	}

}
