package dev.natboot.core.ice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

import dev.natboot.core.Transport;

/**
 * A TCP connection's datagrams as a stream of octets, both ways: what an application that wants a byte stream
 * (a protocol of its own, an HTTP client) reads and writes. Reading takes the connection's datagrams, so it does
 * not mix with {@link IceConnection#receive} or a handler. The connection queues at most
 * {@value IceConnection#RECEIVE_QUEUE_CAPACITY} datagrams for a reader: one that falls further behind fails with
 * an IOException rather than read a stream with a hole in it.
 */
final class IceStreams {

	/** How long a write waits for room in a full send queue before it tries again. */
	private static final long FULL_QUEUE_PAUSE_MILLIS = 2;

	private IceStreams() {
	}

	static void requireTcp(IceConnection connection) {
		if (connection.selectedPair().transport() != Transport.TCP) {
			throw new IllegalStateException("Only a TCP pair carries a stream; this connection's is "
					+ connection.selectedPair().transport());
		}
	}

	static final class Input extends InputStream {

		private final IceConnection connection;

		private final long droppedBefore;

		private byte[] current = new byte[0];

		private int offset;

		Input(IceConnection connection) {
			this.connection = connection;
			this.droppedBefore = connection.droppedDatagrams();
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int off, int length) throws IOException {
			java.util.Objects.checkFromIndexSize(off, length, buffer.length);
			if (length == 0) {
				return 0;
			}
			while (this.offset == this.current.length) {
				if (this.connection.droppedDatagrams() != this.droppedBefore) {
					throw new IOException("The reader fell more than " + IceConnection.RECEIVE_QUEUE_CAPACITY
							+ " datagrams behind: the stream has a hole");
				}
				byte[] next;
				try {
					next = this.connection.receive(Duration.ofMillis(100));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new java.io.InterruptedIOException("Interrupted while reading the ICE stream");
				}
				if (next != null) {
					this.current = next;
					this.offset = 0;
				}
				else if (!this.connection.isOpen()) {
					return -1;
				}
			}
			int count = Math.min(length, this.current.length - this.offset);
			System.arraycopy(this.current, this.offset, buffer, off, count);
			this.offset += count;
			return count;
		}

	}

	static final class Output extends OutputStream {

		private final IceConnection connection;

		Output(IceConnection connection) {
			this.connection = connection;
		}

		@Override
		public void write(int octet) throws IOException {
			write(new byte[] { (byte) octet }, 0, 1);
		}

		@Override
		public void write(byte[] buffer, int off, int length) throws IOException {
			java.util.Objects.checkFromIndexSize(off, length, buffer.length);
			for (int sent = 0; sent < length;) {
				int count = Math.min(IceTcpFraming.MAX_PACKET, length - sent);
				byte[] frame = java.util.Arrays.copyOfRange(buffer, off + sent, off + sent + count);
				// a full send queue is backpressure, not loss: wait for the connection to drain it
				while (!this.connection.send(frame)) {
					if (!this.connection.isOpen()) {
						throw new IOException("The ICE connection is closed");
					}
					try {
						Thread.sleep(FULL_QUEUE_PAUSE_MILLIS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new java.io.InterruptedIOException("Interrupted while writing the ICE stream");
					}
				}
				sent += count;
			}
		}

	}

}
