package dev.natboot.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One daemon thread that runs tasks, timers and datagram reads for every protocol client of an engine. All
 * protocol state lives on this thread, so it needs no locks, and an idle engine costs one sleeping thread
 * whatever the number of mappings. The thread and its selector start on first use: a loop that is never used
 * (an engine in mode none, one skipped in tests) holds no thread and no file descriptor.
 */
public final class NatEventLoop implements Executor, AutoCloseable {

	private static final System.Logger logger = System.getLogger(NatEventLoop.class.getName());

	/**
	 * Any UDP datagram, whole: an ICE connection's application data may be far longer than a PCP or STUN message,
	 * and each protocol's decoder bounds what it reads itself.
	 */
	private static final int RECEIVE_BUFFER_SIZE = 65_536;

	private final String threadName;

	private volatile @Nullable Selector selector;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final PriorityQueue<Timer> timers = new PriorityQueue<>();

	private final AtomicLong timerSequence = new AtomicLong();

	private final ByteBuffer receiveBuffer = ByteBuffer.allocate(RECEIVE_BUFFER_SIZE);

	private volatile @Nullable Thread thread;

	private volatile boolean closed;

	private NatEventLoop(String threadName) {
		this.threadName = threadName;
	}

	/**
	 * Opens a loop; its thread and selector start with the first task.
	 * @param threadName name of the thread
	 * @return the loop
	 */
	public static NatEventLoop open(String threadName) {
		return new NatEventLoop(threadName);
	}

	@Override
	public void execute(Runnable task) {
		if (this.closed) {
			if (inLoop()) {
				// Shutting down: whatever the task would release, the loop closes on its way out.
				return;
			}
			throw new RejectedExecutionException("NAT event loop is closed");
		}
		this.tasks.add(task);
		if (!inLoop()) {
			ensureStarted().wakeup();
		}
	}

	/**
	 * Runs a task after a delay.
	 * @param task the task
	 * @param delay how long to wait
	 * @return a handle that cancels the task
	 */
	public Timer schedule(Runnable task, Duration delay) {
		return scheduleNanos(task, Math.max(0, delay.toNanos()));
	}

	/**
	 * Runs a task after a delay in nanoseconds.
	 * @param task the task
	 * @param delayNanos how long to wait
	 * @return a handle that cancels the task
	 */
	public Timer scheduleNanos(Runnable task, long delayNanos) {
		Timer timer = new Timer(System.nanoTime() + delayNanos, this.timerSequence.incrementAndGet(), task);
		if (inLoop()) {
			this.timers.add(timer);
		}
		else {
			execute(() -> this.timers.add(timer));
		}
		return timer;
	}

	/**
	 * Delivers every datagram that arrives on a channel to a handler, on this loop's thread.
	 * @param channel a non-blocking channel
	 * @param handler receives each datagram
	 */
	public void register(DatagramChannel channel, DatagramHandler handler) {
		execute(() -> {
			try {
				channel.register(selector(), SelectionKey.OP_READ, handler);
			}
			catch (ClosedChannelException ex) {
				handler.failed(ex);
			}
		});
	}

	/**
	 * Calls a handler on this loop's thread whenever a channel is ready for the given operations; for stream
	 * channels such as a non-blocking {@link java.nio.channels.SocketChannel}.
	 * @param channel a non-blocking channel
	 * @param operations {@link SelectionKey} interest set
	 * @param handler called with the key when ready
	 */
	public void register(SelectableChannel channel, int operations, ChannelHandler handler) {
		execute(() -> {
			try {
				channel.register(selector(), operations, handler);
			}
			catch (ClosedChannelException ex) {
				handler.failed(ex);
			}
		});
	}

	/**
	 * Whether the caller runs on this loop's thread.
	 * @return true on the loop thread
	 */
	public boolean inLoop() {
		return Thread.currentThread() == this.thread;
	}

	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Whether the loop's thread ever started.
	 * @return false while no task was ever given
	 */
	public boolean isStarted() {
		return this.thread != null;
	}

	/**
	 * Stops the thread after the task it is running, and closes every registered channel.
	 */
	@Override
	public void close() {
		this.closed = true;
		Selector opened = this.selector;
		if (opened != null) {
			opened.wakeup();
		}
		Thread current = this.thread;
		if (current != null && !inLoop()) {
			try {
				current.join(TimeUnit.SECONDS.toMillis(2));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (current == null) {
			closeSelector();
		}
	}

	private synchronized Selector ensureStarted() {
		Selector opened = this.selector;
		if (opened == null) {
			try {
				opened = Selector.open();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot open a selector", ex);
			}
			this.selector = opened;
		}
		if (this.thread == null && !this.closed) {
			Thread started = new Thread(this::run, this.threadName);
			started.setDaemon(true);
			this.thread = started;
			started.start();
		}
		return opened;
	}

	/** The selector, on the loop thread, which exists only once it was started. */
	private Selector selector() {
		Selector opened = this.selector;
		if (opened == null) {
			throw new IllegalStateException("NAT event loop not started");
		}
		return opened;
	}

	private void run() {
		Selector selector = selector();
		try {
			while (!this.closed) {
				runTasks();
				long waitNanos = runDueTimers();
				if (!this.tasks.isEmpty() || this.closed) {
					selector.selectNow();
				}
				else if (waitNanos < 0) {
					selector.select();
				}
				else {
					selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
				}
				readSelected(selector);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.ERROR, "NAT event loop stopped", ex);
		}
		finally {
			this.closed = true;
			closeSelector();
		}
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			runSafely(task);
		}
	}

	/** Runs due timers; returns nanoseconds until the next one, or -1 when none is scheduled. */
	private long runDueTimers() {
		while (true) {
			Timer next = this.timers.peek();
			if (next == null) {
				return -1;
			}
			if (next.cancelled) {
				this.timers.poll();
				continue;
			}
			long remaining = next.deadlineNanos - System.nanoTime();
			if (remaining > 0) {
				return remaining;
			}
			this.timers.poll();
			runSafely(next.task);
		}
	}

	private void readSelected(Selector selector) {
		for (SelectionKey key : selector.selectedKeys()) {
			if (key.attachment() instanceof ChannelHandler channelHandler) {
				runSafely(() -> {
					try {
						channelHandler.ready(key);
					}
					catch (IOException ex) {
						key.cancel();
						channelHandler.failed(ex);
					}
				});
				continue;
			}
			DatagramHandler handler = (DatagramHandler) key.attachment();
			DatagramChannel channel = (DatagramChannel) key.channel();
			try {
				SocketAddress received;
				while (key.isValid() && (received = receive(channel)) != null) {
					SocketAddress source = received;
					byte[] data = new byte[this.receiveBuffer.position()];
					this.receiveBuffer.flip().get(data);
					runSafely(() -> handler.received(data, source));
				}
			}
			catch (IOException ex) {
				runSafely(() -> handler.failed(ex));
			}
		}
		selector.selectedKeys().clear();
	}

	private @Nullable SocketAddress receive(DatagramChannel channel) throws IOException {
		this.receiveBuffer.clear();
		return channel.receive(this.receiveBuffer);
	}

	private void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException | Error ex) {
			// One failing task must not stop renewals of every other mapping.
			logger.log(Level.ERROR, "Unexpected failure in NAT event loop task", ex);
		}
	}

	private void closeSelector() {
		Selector opened = this.selector;
		if (opened == null) {
			return;
		}
		for (SelectionKey key : opened.keys()) {
			try {
				key.channel().close();
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Closing channel failed", ex);
			}
		}
		try {
			opened.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Closing selector failed", ex);
		}
	}

	/**
	 * Receives the datagrams of one registered channel.
	 */
	public interface DatagramHandler {

		/**
		 * A datagram arrived.
		 * @param data its content
		 * @param source who sent it
		 */
		void received(byte[] data, SocketAddress source);

		/**
		 * Reading failed, for example with an ICMP port unreachable on a connected channel.
		 * @param failure what happened
		 */
		void failed(IOException failure);

	}

	/**
	 * Drives one stream channel.
	 */
	public interface ChannelHandler {

		/**
		 * The channel is ready for some of its interest operations.
		 * @param key the channel's key
		 * @throws IOException if working the channel failed; the key is then cancelled
		 */
		void ready(SelectionKey key) throws IOException;

		/**
		 * The channel failed or could not be registered.
		 * @param failure what happened
		 */
		void failed(IOException failure);

	}

	/**
	 * A scheduled task.
	 */
	public static final class Timer implements Comparable<Timer> {

		private final long deadlineNanos;

		private final long sequence;

		private final Runnable task;

		private volatile boolean cancelled;

		Timer(long deadlineNanos, long sequence, Runnable task) {
			this.deadlineNanos = deadlineNanos;
			this.sequence = sequence;
			this.task = task;
		}

		public void cancel() {
			this.cancelled = true;
		}

		@Override
		public int compareTo(Timer other) {
			int byDeadline = Long.compare(this.deadlineNanos - other.deadlineNanos, 0);
			return (byDeadline != 0) ? byDeadline : Long.compare(this.sequence, other.sequence);
		}

	}

}
