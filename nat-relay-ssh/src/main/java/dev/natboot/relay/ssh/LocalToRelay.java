package dev.natboot.relay.ssh;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.RemoteWindow;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.jspecify.annotations.Nullable;

/**
 * What the local server sends on one relayed connection, on its way to the relay server as channel data. Each
 * read of the local connection is cut into packets at once, as far as the relay server's window allows, and
 * handed to the SSH session while the next read is already under way; what the window does not allow yet waits
 * here for the server's next window adjustment. Bounded: above {@value #SUSPEND_ABOVE} bytes read but not yet
 * on the SSH connection's socket, the local connection is read no further until that falls below
 * {@value #RESUME_BELOW}.
 *
 * <p>
 * Packets are built and handed to the session under this object's lock, which keeps them in order; write
 * completions never take it (they may run on a thread that holds the session's own encoding lock).
 */
final class LocalToRelay {

	static final int SUSPEND_ABOVE = 1024 * 1024;

	static final int RESUME_BELOW = 256 * 1024;

	/** Message number, recipient channel and data length in front of the data (RFC 4254 5.2). */
	private static final int DATA_HEADER = 1 + 4 + 4;

	private final RelayedChannel channel;

	private final IoSession local;

	/** Read from the local server, beyond what the relay server's window allowed so far. */
	private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

	private int headOffset;

	private final AtomicLong waitingBytes = new AtomicLong();

	/** Handed to the SSH session, not yet written to its socket. */
	private final AtomicLong unwritten = new AtomicLong();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicBoolean suspended = new AtomicBoolean();

	private boolean ended;

	private boolean finished;

	LocalToRelay(RelayedChannel channel, IoSession local) {
		this.channel = channel;
		this.local = local;
	}

	/** Called on the local connection's read thread, with data that is only valid until this returns. */
	void received(Readable data) {
		if (this.channel.isClosing()) {
			return;
		}
		synchronized (this) {
			if (this.waiting.isEmpty()) {
				while (data.available() > 0 && sendPacket(data)) {
					// as much as the window allows
				}
			}
			int rest = data.available();
			if (rest > 0) {
				byte[] copy = new byte[rest];
				data.getRawBytes(copy, 0, rest);
				this.waiting.add(copy);
				this.waitingBytes.addAndGet(rest);
			}
		}
		if (pending() > SUSPEND_ABOVE && this.suspended.compareAndSet(false, true)) {
			this.local.suspendRead();
			// A write may have completed between the test and the suspension: it would not have seen us suspended.
			resumeIfDrained();
		}
	}

	/** The relay server widened its window: send what was waiting for it. */
	void windowExpanded() {
		boolean finish;
		synchronized (this) {
			while (!this.waiting.isEmpty() && sendPacket(null)) {
				// as much as the window allows
			}
			finish = finishable();
		}
		if (finish) {
			this.channel.localServerFinished();
		}
	}

	/** The local server closed its end: the relay server gets what is left, then end of data. */
	void localEnded() {
		if (this.channel.isClosing()) {
			return;
		}
		boolean finish;
		synchronized (this) {
			this.ended = true;
			finish = finishable();
		}
		if (finish) {
			this.channel.localServerFinished();
		}
	}

	/** Bytes sent to the relay server so far. */
	long sent() {
		return this.sent.get();
	}

	private boolean finishable() {
		if (this.ended && !this.finished && this.waiting.isEmpty()) {
			this.finished = true;
			return true;
		}
		return false;
	}

	/**
	 * One packet from {@code source} (the first waiting chunk when null), as long as the window allows.
	 * @return whether a packet was sent
	 */
	private boolean sendPacket(@Nullable Readable source) {
		RemoteWindow window = this.channel.getRemoteWindow();
		int available = (source != null) ? source.available() : this.waiting.peekFirst().length - this.headOffset;
		int length = (int) Math.min(available, Math.min(window.getPacketSize(), window.getSize()));
		if (length <= 0 || this.channel.isClosing()) {
			return false;
		}
		Buffer packet = this.channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_DATA, length + DATA_HEADER);
		packet.putUInt(this.channel.getRecipient());
		packet.putUInt(length);
		packet.ensureCapacity(length);
		if (source != null) {
			source.getRawBytes(packet.array(), packet.wpos(), length);
		}
		else {
			takeWaiting(packet.array(), packet.wpos(), length);
		}
		packet.wpos(packet.wpos() + length);
		try {
			window.consume(length);
			this.unwritten.addAndGet(length);
			this.sent.addAndGet(length);
			IoWriteFuture written = ThreadUtils.runAsInternal(packet, this.channel::writePacket);
			written.addListener((done) -> written(length, done));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			this.channel.close(true);
			return false;
		}
	}

	private void takeWaiting(byte[] into, int offset, int length) {
		byte[] head = this.waiting.peekFirst();
		System.arraycopy(head, this.headOffset, into, offset, length);
		this.headOffset += length;
		if (this.headOffset == head.length) {
			this.waiting.removeFirst();
			this.headOffset = 0;
		}
		this.waitingBytes.addAndGet(-length);
	}

	private void written(int length, IoWriteFuture done) {
		this.unwritten.addAndGet(-length);
		if (!done.isWritten()) {
			this.channel.close(true);
			return;
		}
		resumeIfDrained();
	}

	private void resumeIfDrained() {
		if (pending() < RESUME_BELOW && this.suspended.compareAndSet(true, false)) {
			this.local.resumeRead();
		}
	}

	private long pending() {
		return this.waitingBytes.get() + this.unwritten.get();
	}

}
