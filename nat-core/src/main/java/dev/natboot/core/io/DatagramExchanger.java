package dev.natboot.core.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.NatEventLoop.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Request/response exchanges with one server over one UDP socket, driven by a {@link NatEventLoop}: sends,
 * retransmits on schedule, and matches each answer to the request it belongs to. The socket is connected, so
 * the kernel drops datagrams from any other source; anything that still fails to decode, or that answers no
 * pending request, is ignored and counted. An answer that lacks the fields telling which request it answers
 * (an error without the request's data) is taken only when exactly one pending request could have caused it.
 *
 * @param <R> response type
 */
public final class DatagramExchanger<R> implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(DatagramExchanger.class.getName());

	private final NatEventLoop loop;

	private final InetSocketAddress server;

	private final DatagramDecoder<R> decoder;

	private final NatProtocol protocol;

	private final IgnoredDatagrams ignored;

	private final DatagramChannel channel;

	private final List<Pending> pending = new ArrayList<>();

	/**
	 * Round trips to this server, so that a router slowed down by a large table is not sent duplicates it would
	 * have to process too (RFC 6298's estimator, sampled from first tries only, as Karn's algorithm says).
	 */
	private long smoothedRoundTripNanos = -1;

	private long roundTripVariationNanos;

	/**
	 * First timeout of the next exchange: from the estimator, doubled at each timeout and kept until the next
	 * valid sample (RFC 6298 section 5.5), so that an overloaded server is not sent ever more duplicates.
	 */
	private long nextInitialTimeoutNanos;

	/**
	 * Opens a socket connected to the server and registers it with the loop.
	 * @param loop the loop that runs every exchange
	 * @param server the server's address and port
	 * @param decoder how answers are decoded
	 * @param protocol protocol named in errors
	 * @throws NatException if the socket cannot be opened or connected
	 */
	public DatagramExchanger(NatEventLoop loop, InetSocketAddress server, DatagramDecoder<R> decoder,
			NatProtocol protocol) throws NatException {
		this(loop, server, decoder, protocol, new IgnoredDatagrams());
	}

	/**
	 * Opens a socket connected to the server and registers it with the loop.
	 * @param loop the loop that runs every exchange
	 * @param server the server's address and port
	 * @param decoder how answers are decoded
	 * @param protocol protocol named in errors
	 * @param ignored counts what is received and not taken as an answer
	 * @throws NatException if the socket cannot be opened or connected
	 */
	public DatagramExchanger(NatEventLoop loop, InetSocketAddress server, DatagramDecoder<R> decoder,
			NatProtocol protocol, IgnoredDatagrams ignored) throws NatException {
		this(loop, null, server, decoder, protocol, ignored);
	}

	/**
	 * Opens a socket bound to a local address of the caller's choice, connected to the server.
	 * @param loop the loop that runs every exchange
	 * @param localAddress the address to send from, {@code null} for the one the kernel picks
	 * @param server the server's address and port
	 * @param decoder how answers are decoded
	 * @param protocol protocol named in errors
	 * @param ignored counts what is received and not taken as an answer
	 * @throws NatException if the socket cannot be opened, bound or connected
	 */
	public DatagramExchanger(NatEventLoop loop, @Nullable InetAddress localAddress, InetSocketAddress server,
			DatagramDecoder<R> decoder, NatProtocol protocol, IgnoredDatagrams ignored) throws NatException {
		this.loop = loop;
		this.server = server;
		this.decoder = decoder;
		this.protocol = protocol;
		this.ignored = ignored;
		try {
			this.channel = DatagramChannel.open();
			this.channel.configureBlocking(false);
			if (localAddress != null) {
				this.channel.bind(new InetSocketAddress(localAddress, 0));
			}
			this.channel.connect(server);
		}
		catch (IOException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, protocol, NatException.NO_ROUTER_CODE,
					"Cannot open a socket to " + server + ": " + ex.getMessage(), ex);
		}
		loop.register(this.channel, new Receiver());
	}

	public InetSocketAddress server() {
		return this.server;
	}

	/**
	 * The local address the kernel picked to reach the server, which PCP sends as the client address.
	 * @return the local address
	 * @throws NatException if the socket is closed
	 */
	public InetAddress localAddress() throws NatException {
		try {
			return ((InetSocketAddress) this.channel.getLocalAddress()).getAddress();
		}
		catch (IOException | RuntimeException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, this.protocol, "Socket closed");
		}
	}

	/**
	 * Sends a request until an answer that matches arrives or the schedule runs out.
	 * @param request the encoded request
	 * @param matches which answers belong to this request
	 * @param retransmission the schedule
	 * @return the answer; completes on the loop thread, exceptionally with a {@link NatException}
	 */
	public CompletableFuture<R> exchange(byte[] request, Predicate<R> matches, Retransmission retransmission) {
		return exchange(request, matches, (response) -> false, retransmission);
	}

	/**
	 * Sends a request until an answer that matches arrives or the schedule runs out.
	 * @param request the encoded request
	 * @param matches which answers belong to this request
	 * @param couldAnswer answers that lack what {@code matches} looks at and may belong to this request: taken
	 * only when no other pending request could have caused them too
	 * @param retransmission the schedule
	 * @return the answer; completes on the loop thread, exceptionally with a {@link NatException}
	 */
	public CompletableFuture<R> exchange(byte[] request, Predicate<R> matches, Predicate<R> couldAnswer,
			Retransmission retransmission) {
		CompletableFuture<R> result = new CompletableFuture<>();
		Pending exchange = new Pending(request, matches, couldAnswer, retransmission, result);
		if (this.loop.inLoop() && !this.loop.isClosed()) {
			// On the wire now, ahead of whatever else the calling task does (listeners told of the exchange).
			start(exchange);
			return result;
		}
		try {
			this.loop.execute(() -> start(exchange));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new NatException(NatErrorKind.IO_ERROR, this.protocol, "Engine closed"));
		}
		return result;
	}

	/**
	 * Fails every exchange under way and closes the socket.
	 */
	@Override
	public void close() {
		if (this.loop.isClosed()) {
			closeChannel();
			return;
		}
		try {
			this.loop.execute(() -> {
				failAll(new NatException(NatErrorKind.IO_ERROR, this.protocol, "Client closed"));
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
			logger.log(Level.DEBUG, "Closing socket failed", ex);
		}
	}

	private void start(Pending exchange) {
		if (!this.channel.isOpen()) {
			exchange.result.completeExceptionally(new NatException(NatErrorKind.IO_ERROR, this.protocol, "Client closed"));
			return;
		}
		this.pending.add(exchange);
		send(exchange);
	}

	private void send(Pending exchange) {
		exchange.attempt++;
		if (exchange.attempt == 1) {
			exchange.firstSentNanos = System.nanoTime();
			exchange.initialTimeoutNanos = this.nextInitialTimeoutNanos;
		}
		try {
			this.channel.write(ByteBuffer.wrap(exchange.request));
		}
		catch (PortUnreachableException ex) {
			fail(exchange, unreachable());
			return;
		}
		catch (IOException ex) {
			fail(exchange, new NatException(NatErrorKind.IO_ERROR, this.protocol, NatException.NO_ROUTER_CODE,
					"Cannot send to " + this.server + ": " + ex.getMessage(), ex));
			return;
		}
		exchange.timer = this.loop.scheduleNanos(() -> timedOut(exchange),
				exchange.retransmission.timeoutNanos(exchange.attempt, exchange.initialTimeoutNanos));
	}

	private void sampleRoundTrip(long roundTrip) {
		if (this.smoothedRoundTripNanos < 0) {
			this.smoothedRoundTripNanos = roundTrip;
			this.roundTripVariationNanos = roundTrip / 2;
		}
		else {
			this.roundTripVariationNanos = (3 * this.roundTripVariationNanos
					+ Math.abs(this.smoothedRoundTripNanos - roundTrip)) / 4;
			this.smoothedRoundTripNanos = (7 * this.smoothedRoundTripNanos + roundTrip) / 8;
		}
		this.nextInitialTimeoutNanos = this.smoothedRoundTripNanos + 4 * this.roundTripVariationNanos;
	}

	private void timedOut(Pending exchange) {
		if (exchange.result.isDone()) {
			// Cancelled by the caller, for example a probe that lost the race.
			this.pending.remove(exchange);
			return;
		}
		if (exchange.attempt == 1) {
			// Back off for the exchanges that follow too, within the schedule's bounds.
			long timedOut = exchange.retransmission.timeoutNanos(1, exchange.initialTimeoutNanos);
			this.nextInitialTimeoutNanos = Math.min(2 * timedOut, exchange.retransmission.maxTimeout().toNanos());
		}
		if (exchange.attempt < exchange.retransmission.attempts()) {
			send(exchange);
			return;
		}
		fail(exchange, new NatException(NatErrorKind.NO_RESPONSE, this.protocol, "No answer from " + this.server
				+ " after " + exchange.attempt + " tries"));
	}

	private void fail(Pending exchange, NatException failure) {
		this.pending.remove(exchange);
		exchange.cancelTimer();
		exchange.result.completeExceptionally(failure);
	}

	private void failAll(NatException failure) {
		for (Pending exchange : List.copyOf(this.pending)) {
			fail(exchange, failure);
		}
	}

	private NatException unreachable() {
		return new NatException(NatErrorKind.NO_RESPONSE, this.protocol,
				this.server + " answered port unreachable: no " + this.protocol.displayName() + " server there");
	}

	private final class Receiver implements NatEventLoop.DatagramHandler {

		@Override
		public void received(byte[] data, SocketAddress source) {
			R response;
			try {
				response = DatagramExchanger.this.decoder.decode(data);
			}
			catch (MalformedMessageException ex) {
				DatagramExchanger.this.ignored.count(IgnoredDatagrams.Reason.MALFORMED);
				logger.log(Level.DEBUG, () -> "Ignoring malformed " + DatagramExchanger.this.protocol.displayName()
						+ " datagram from " + source + ": " + ex.getMessage());
				return;
			}
			catch (NatException ex) {
				failAll(ex);
				return;
			}
			Pending answered = null;
			for (Pending exchange : DatagramExchanger.this.pending) {
				if (exchange.matches.test(response)) {
					answered = exchange;
					break;
				}
			}
			if (answered == null) {
				List<Pending> candidates = DatagramExchanger.this.pending.stream()
					.filter((exchange) -> exchange.couldAnswer.test(response))
					.limit(2)
					.toList();
				if (candidates.size() > 1) {
					DatagramExchanger.this.ignored.count(IgnoredDatagrams.Reason.AMBIGUOUS);
					logger.log(Level.DEBUG, () -> "Ignoring " + DatagramExchanger.this.protocol.displayName() + " answer from "
							+ source + " that could answer several requests: " + response);
					return;
				}
				answered = candidates.isEmpty() ? null : candidates.get(0);
			}
			if (answered == null) {
				DatagramExchanger.this.ignored.count(IgnoredDatagrams.Reason.UNMATCHED);
				logger.log(Level.DEBUG, () -> "Ignoring unsolicited " + DatagramExchanger.this.protocol.displayName()
						+ " answer from " + source + ": " + response);
				return;
			}
			DatagramExchanger.this.pending.remove(answered);
			answered.cancelTimer();
			if (answered.attempt == 1) {
				sampleRoundTrip(System.nanoTime() - answered.firstSentNanos);
			}
			answered.result.complete(response);
		}

		@Override
		public void failed(IOException failure) {
			if (failure instanceof PortUnreachableException) {
				failAll(unreachable());
			}
			else {
				logger.log(Level.DEBUG, "Receive failed on " + DatagramExchanger.this.server, failure);
			}
		}

	}

	private final class Pending {

		final byte[] request;

		final Predicate<R> matches;

		final Predicate<R> couldAnswer;

		final Retransmission retransmission;

		final CompletableFuture<R> result;

		int attempt;

		long firstSentNanos;

		long initialTimeoutNanos;

		@Nullable Timer timer;

		Pending(byte[] request, Predicate<R> matches, Predicate<R> couldAnswer, Retransmission retransmission,
				CompletableFuture<R> result) {
			this.request = request;
			this.matches = matches;
			this.couldAnswer = couldAnswer;
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

}
