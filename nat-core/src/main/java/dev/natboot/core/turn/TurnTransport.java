package dev.natboot.core.turn;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.stun.StunCodec;

/**
 * Whole frames (a STUN message or a ChannelData message) to and from a TURN server: one datagram each over UDP;
 * over TCP and TLS, cut from the stream by their length fields (RFC 8656 section 12.5), never trusting one
 * beyond the largest frame there can be.
 */
abstract sealed class TurnTransport implements Closeable {

	/** A STUN header or a ChannelData header plus 65535 octets, padded: nothing longer can be a frame. */
	static final int MAX_FRAME = ChannelData.HEADER_LENGTH + ChannelData.MAX_DATA_LENGTH + 3;

	static TurnTransport open(TurnServer server, InetSocketAddress address, Duration timeout,
			@Nullable SSLSocketFactory tls) throws IOException {
		return switch (server.transport()) {
			case UDP -> new Udp(address);
			case TCP -> new Stream(connect(new Socket(), address, timeout));
			case TLS -> new Stream(tls(server.host(), address, timeout, tls));
		};
	}

	private static Socket connect(Socket socket, InetSocketAddress address, Duration timeout) throws IOException {
		try {
			socket.setTcpNoDelay(true);
			socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static Socket tls(String host, InetSocketAddress address, Duration timeout,
			@Nullable SSLSocketFactory factory) throws IOException {
		Socket plain = connect(new Socket(), address, timeout);
		SSLSocketFactory sockets = (factory != null) ? factory : (SSLSocketFactory) SSLSocketFactory.getDefault();
		SSLSocket socket = (SSLSocket) sockets.createSocket(plain, host, address.getPort(), true);
		SSLParameters parameters = socket.getSSLParameters();
		// The server's certificate must name the host of the URI, as for HTTPS.
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		socket.setSSLParameters(parameters);
		socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
		try {
			socket.startHandshake();
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		return socket;
	}

	/** Whether frames are padded to four octets and never lost (TCP, TLS). */
	abstract boolean stream();

	abstract void send(byte[] frame) throws IOException;

	/** Whether an ICMP port unreachable came back since the connection opened (UDP only). */
	boolean sawPortUnreachable() {
		return false;
	}

	/**
	 * The next frame.
	 * @param timeoutMillis how long to wait, at least 1
	 * @return the frame, or {@code null} if none came in time
	 * @throws MalformedMessageException if the stream holds something that is no frame (it cannot be resynchronised)
	 * @throws IOException if the connection failed or the server closed it
	 */
	abstract byte @Nullable [] receive(int timeoutMillis) throws IOException, MalformedMessageException;

	static final class Udp extends TurnTransport {

		private final DatagramSocket socket;

		private final byte[] buffer = new byte[MAX_FRAME];

		private volatile boolean portUnreachable;

		Udp(InetSocketAddress server) throws IOException {
			this.socket = new DatagramSocket();
			// Connected: the kernel drops datagrams from anyone but the server.
			this.socket.connect(server);
		}

		@Override
		boolean stream() {
			return false;
		}

		@Override
		boolean sawPortUnreachable() {
			return this.portUnreachable;
		}

		@Override
		void send(byte[] frame) throws IOException {
			this.socket.send(new DatagramPacket(frame, frame.length));
		}

		@Override
		byte @Nullable [] receive(int timeoutMillis) throws IOException {
			this.socket.setSoTimeout(Math.max(1, timeoutMillis));
			DatagramPacket packet = new DatagramPacket(this.buffer, this.buffer.length);
			try {
				this.socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				return null;
			}
			catch (PortUnreachableException ex) {
				// ICMP: nothing listens there now. Anyone can forge that, so the request goes on until its
				// timeout, which then says what was seen.
				this.portUnreachable = true;
				return null;
			}
			return Arrays.copyOf(this.buffer, packet.getLength());
		}

		@Override
		public void close() {
			this.socket.close();
		}

	}

	static final class Stream extends TurnTransport {

		private final Socket socket;

		private final InputStream input;

		private final OutputStream output;

		/** Octets read and not yet part of a returned frame. */
		private byte[] pending = new byte[0];

		Stream(Socket socket) throws IOException {
			this.socket = socket;
			this.input = socket.getInputStream();
			this.output = socket.getOutputStream();
		}

		@Override
		boolean stream() {
			return true;
		}

		@Override
		void send(byte[] frame) throws IOException {
			synchronized (this.output) {
				this.output.write(frame);
				this.output.flush();
			}
		}

		@Override
		byte @Nullable [] receive(int timeoutMillis) throws IOException, MalformedMessageException {
			long deadline = System.nanoTime() + Math.max(1, timeoutMillis) * 1_000_000L;
			byte[] chunk = new byte[8192];
			while (true) {
				int length = frameLength();
				if (length > 0 && this.pending.length >= length) {
					byte[] frame = Arrays.copyOf(this.pending, length);
					this.pending = Arrays.copyOfRange(this.pending, length, this.pending.length);
					return frame;
				}
				long left = (deadline - System.nanoTime()) / 1_000_000L;
				if (left <= 0) {
					return null;
				}
				this.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
				int read;
				try {
					read = this.input.read(chunk);
				}
				catch (SocketTimeoutException ex) {
					return null;
				}
				if (read < 0) {
					throw new IOException("The TURN server closed the connection");
				}
				ByteArrayOutputStream joined = new ByteArrayOutputStream(this.pending.length + read);
				joined.write(this.pending, 0, this.pending.length);
				joined.write(chunk, 0, read);
				this.pending = joined.toByteArray();
			}
		}

		/** The length of the frame at the head of what was read, or 0 if its header is not complete yet. */
		private int frameLength() throws MalformedMessageException {
			if (this.pending.length >= 1 && ChannelData.looksLikeChannelData(this.pending)) {
				return (this.pending.length >= ChannelData.HEADER_LENGTH) ? ChannelData.frameLength(this.pending, true)
						: 0;
			}
			if (this.pending.length >= StunCodec.HEADER_LENGTH) {
				return StunCodec.messageLength(this.pending);
			}
			if (this.pending.length >= 1 && (this.pending[0] & 0xc0) != 0) {
				throw new MalformedMessageException("Neither STUN nor ChannelData on the TURN connection");
			}
			return 0;
		}

		/**
		 * Gives the socket up as a plain stream, after a ConnectionBind (RFC 6062 section 5.3): what was read
		 * beyond the last frame belongs to the peer.
		 * @return the octets read and not returned
		 */
		byte[] release() {
			byte[] rest = this.pending;
			this.pending = new byte[0];
			return rest;
		}

		Socket socket() {
			return this.socket;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
