package dev.natboot.core.mapping;

import java.time.Duration;

import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * At most one remap of every mapping per router per window, whatever asks for it: announcements, a restart
 * seen in an answer, SSDP notifications, forged or real. A request inside the window is not lost: it runs once
 * when the window ends, together with every other request that came meanwhile. Runs on the loop thread only.
 */
final class RemapThrottle {

	/** RFC 6887 section 14.1.3 spreads a client's reaction to an announcement over up to 5 s. */
	static final Duration WINDOW = Duration.ofSeconds(5);

	private final NatEventLoop loop;

	private final Remap remap;

	private final long windowNanos;

	private long lastNanos;

	private NatEventLoop.@Nullable Timer deferred;

	/** Whether a request that waits for the window said the router lost its state. */
	private boolean deferredLost;

	RemapThrottle(NatEventLoop loop, Duration window, Remap remap) {
		this.loop = loop;
		this.remap = remap;
		this.windowNanos = window.toNanos();
		this.lastNanos = System.nanoTime() - this.windowNanos;
	}

	/**
	 * Asks for every mapping to be mapped again.
	 * @param lostOnRouter whether the router lost its state (the mappings are re-created, not only renewed)
	 */
	void request(boolean lostOnRouter) {
		if (this.deferred != null) {
			this.deferredLost |= lostOnRouter;
			return;
		}
		long wait = this.lastNanos + this.windowNanos - System.nanoTime();
		if (wait <= 0) {
			run(lostOnRouter);
			return;
		}
		this.deferredLost = lostOnRouter;
		this.deferred = this.loop.scheduleNanos(() -> {
			this.deferred = null;
			run(this.deferredLost);
		}, wait);
	}

	private void run(boolean lostOnRouter) {
		this.lastNanos = System.nanoTime();
		this.remap.all(lostOnRouter);
	}

	void cancel() {
		NatEventLoop.Timer timer = this.deferred;
		if (timer != null) {
			timer.cancel();
			this.deferred = null;
		}
	}

	/** What a remap does. */
	interface Remap {

		/**
		 * Maps every mapping again now.
		 * @param lostOnRouter whether the router lost its state
		 */
		void all(boolean lostOnRouter);

	}

}
