package dev.natboot.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;

/**
 * A blocking connection that sends and receives typed messages over one UDP socket connected to one server:
 * the low-level API for tools, tests and measurements. The mapping engine uses the asynchronous
 * {@link DatagramExchanger} instead.
 *
 * @param <Q> request type
 * @param <R> response type
 */
public final class MessageConnection<Q, R> implements Closeable {

	private static final int RECEIVE_BUFFER_SIZE = 2048;

	private final DatagramSocket socket;

	private final Function<Q, byte[]> encoder;

	private final DatagramDecoder<R> decoder;

	private final NatProtocol protocol;

	/**
	 * Opens a socket connected to a server.
	 * @param server the server
	 * @param encoder encodes requests
	 * @param decoder decodes responses
	 * @param protocol protocol named in errors
	 * @throws IOException if the socket cannot be opened
	 */
	public MessageConnection(InetSocketAddress server, Function<Q, byte[]> encoder, DatagramDecoder<R> decoder,
			NatProtocol protocol) throws IOException {
		this.socket = new DatagramSocket();
		this.socket.connect(server);
		this.encoder = encoder;
		this.decoder = decoder;
		this.protocol = protocol;
	}

	/**
	 * The local address used to reach the server.
	 * @return the local address
	 */
	public InetAddress localAddress() {
		return this.socket.getLocalAddress();
	}

	public void send(Q request) throws IOException {
		byte[] data = this.encoder.apply(request);
		this.socket.send(new DatagramPacket(data, data.length));
	}

	/**
	 * Waits for the next datagram and decodes it.
	 * @param timeoutMillis how long to wait
	 * @return the message
	 * @throws SocketTimeoutException if nothing arrives in time
	 * @throws MalformedMessageException if what arrives is not a valid message
	 * @throws NatException if what arrives is a rejection in another protocol version
	 * @throws IOException on other socket errors
	 */
	public R receive(int timeoutMillis) throws IOException, MalformedMessageException, NatException {
		byte[] buffer = new byte[RECEIVE_BUFFER_SIZE];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		this.socket.setSoTimeout(Math.max(1, timeoutMillis));
		this.socket.receive(packet);
		byte[] data = new byte[packet.getLength()];
		System.arraycopy(buffer, 0, data, 0, data.length);
		return this.decoder.decode(data);
	}

	/**
	 * Sends a request and waits for a matching answer, retransmitting on schedule. Malformed and unrelated
	 * datagrams are skipped.
	 * @param request the request
	 * @param matches which answers belong to it
	 * @param retransmission the schedule
	 * @return the answer
	 * @throws NatException if no answer comes or the socket fails
	 */
	public R exchange(Q request, Predicate<R> matches, Retransmission retransmission) throws NatException {
		try {
			for (int attempt = 1; attempt <= retransmission.attempts(); attempt++) {
				send(request);
				long deadline = System.nanoTime() + retransmission.timeoutNanos(attempt);
				long remaining;
				while ((remaining = deadline - System.nanoTime()) > 0) {
					try {
						R response = receive((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
						if (matches.test(response)) {
							return response;
						}
					}
					catch (SocketTimeoutException | MalformedMessageException ex) {
						// Try again until the deadline of this attempt.
					}
				}
			}
		}
		catch (PortUnreachableException ex) {
			throw new NatException(NatErrorKind.NO_RESPONSE, this.protocol, NatException.NO_ROUTER_CODE,
					"Port unreachable: no " + this.protocol.displayName() + " server", ex);
		}
		catch (IOException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, this.protocol, NatException.NO_ROUTER_CODE, ex.getMessage(),
					ex);
		}
		throw new NatException(NatErrorKind.NO_RESPONSE, this.protocol,
				"No answer after " + retransmission.attempts() + " tries");
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
