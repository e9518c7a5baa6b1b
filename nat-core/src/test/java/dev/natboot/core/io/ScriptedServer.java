package dev.natboot.core.io;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A UDP server on loopback whose answers a test writes by hand: it collects requests, and the test sends
 * whatever answers it wants, in whatever order, to whoever asked.
 */
public final class ScriptedServer implements AutoCloseable {

	private final DatagramSocket socket;

	private SocketAddress client;

	public ScriptedServer() throws IOException {
		this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		this.socket.setSoTimeout(2000);
	}

	public InetSocketAddress address() {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), this.socket.getLocalPort());
	}

	/**
	 * Waits for requests.
	 * @param count how many
	 * @return their contents, in arrival order (retransmissions included)
	 */
	public List<byte[]> receive(int count) throws IOException {
		List<byte[]> received = new ArrayList<>();
		byte[] buffer = new byte[2048];
		while (received.size() < count) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				throw new AssertionError("only " + received.size() + " of " + count + " requests arrived");
			}
			this.client = packet.getSocketAddress();
			received.add(Arrays.copyOf(packet.getData(), packet.getLength()));
		}
		return received;
	}

	/**
	 * Answers the client that sent the last request.
	 * @param answer the datagram
	 */
	public void send(byte[] answer) throws IOException {
		this.socket.send(new DatagramPacket(answer, answer.length, this.client));
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
