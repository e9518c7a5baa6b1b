package dev.natboot.spring;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * Watches a server's port while the server starts, and reports it the moment it is bound: for a server that
 * binds its socket in the middle of a start that says nothing until the end (Tomcat). A daemon thread looks
 * every quarter of a millisecond for the first {@link #FAST_WATCH} (a bind comes within a few milliseconds of
 * the start), then every 10 ms, for {@link #MAX_WATCH} at most: a start that failed without saying so costs
 * next to nothing. It ends at the first port it sees, when stopped, or then.
 */
final class BindWatcher {

	/** Far longer than any bind; a start that takes longer reports at its end instead. */
	static final Duration MAX_WATCH = Duration.ofSeconds(10);

	/** Looking often only this long. */
	static final Duration FAST_WATCH = Duration.ofMillis(200);

	private static final long FAST_PAUSE_NANOS = 250_000;

	private static final long SLOW_PAUSE_NANOS = 10_000_000;

	private final Thread thread;

	private volatile boolean stopped;

	private BindWatcher(IntSupplier localPort, IntConsumer bound) {
		this.thread = new Thread(() -> watch(localPort, bound), "nat-bind-watch");
		this.thread.setDaemon(true);
	}

	/**
	 * Starts watching.
	 * @param localPort the server's bound port, or a negative number or zero while it is not bound
	 * @param bound told the port, once, on the watcher's thread
	 * @return the watcher
	 */
	static BindWatcher start(IntSupplier localPort, IntConsumer bound) {
		BindWatcher watcher = new BindWatcher(localPort, bound);
		watcher.thread.start();
		return watcher;
	}

	/** Stops watching; the port may still be reported if it was seen a moment ago. */
	void stop() {
		this.stopped = true;
		LockSupport.unpark(this.thread);
	}

	private void watch(IntSupplier localPort, IntConsumer bound) {
		long started = System.nanoTime();
		long deadline = started + MAX_WATCH.toNanos();
		while (!this.stopped && System.nanoTime() - deadline < 0) {
			int port;
			try {
				port = localPort.getAsInt();
			}
			catch (RuntimeException ex) {
				// Tomcat's connector can fail to tell while its endpoint is being set up: not bound yet.
				port = -1;
			}
			if (port > 0) {
				bound.accept(port);
				return;
			}
			LockSupport.parkNanos((System.nanoTime() - started < FAST_WATCH.toNanos()) ? FAST_PAUSE_NANOS : SLOW_PAUSE_NANOS);
		}
	}

}
