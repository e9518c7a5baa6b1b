package dev.natboot.core.turn;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A TCP connection to a peer through a TCP allocation (RFC 6062): after its ConnectionBind, the data connection
 * to the server carries the peer's octets both ways, unframed.
 */
public final class TurnPeerConnection implements Closeable {

	private final Socket socket;

	private final InputStream input;

	private final int connectionId;

	private final InetSocketAddress peer;

	TurnPeerConnection(Socket socket, byte[] alreadyRead, int connectionId, InetSocketAddress peer)
			throws IOException {
		this.socket = socket;
		this.input = new SequenceInputStream(new ByteArrayInputStream(alreadyRead), socket.getInputStream());
		this.connectionId = connectionId;
		this.peer = peer;
	}

	/**
	 * What the peer sends.
	 * @return the stream
	 */
	public InputStream input() {
		return this.input;
	}

	/**
	 * What goes to the peer.
	 * @return the stream
	 * @throws IOException if the connection is closed
	 */
	public OutputStream output() throws IOException {
		return this.socket.getOutputStream();
	}

	/**
	 * How long a read may block before it fails with a {@link java.net.SocketTimeoutException}.
	 * @param timeout the timeout, zero for none
	 * @throws IOException if the connection is closed
	 */
	public void setReadTimeout(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
	}

	/**
	 * The server's name for this connection.
	 * @return the CONNECTION-ID
	 */
	public int connectionId() {
		return this.connectionId;
	}

	/**
	 * The peer at the other end.
	 * @return its address
	 */
	public InetSocketAddress peer() {
		return this.peer;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	@Override
	public String toString() {
		return "TurnPeerConnection[peer=" + this.peer + ", connectionId=" + this.connectionId + "]";
	}

}
