package dev.natboot.core.mapping;

/**
 * Tells from a router's epoch times whether it lost its mappings since the last answer (RFC 6887 section 8.5,
 * which NAT-PMP's seconds-since-start-of-epoch follows too, RFC 6886 section 3.6): its clock went back by more
 * than a second, or ran at a pace the client's own clock cannot explain. Used on the engine's thread only.
 */
final class ServerEpoch {

	private final Runnable stateLost;

	private boolean known;

	private long previousServerSeconds;

	private long previousClientNanos;

	ServerEpoch() {
		this(() -> {
		});
	}

	/**
	 * Creates a tracker.
	 * @param stateLost told when an epoch time shows that the router lost its mappings
	 */
	ServerEpoch(Runnable stateLost) {
		this.stateLost = stateLost;
	}

	/**
	 * Records an epoch time from the router, and tells when it shows the router lost its state.
	 * @param serverSeconds the epoch time in the answer
	 * @param clientNanos {@link System#nanoTime()} when it arrived
	 * @return true if the router kept its state since the previous answer (or this is the first one)
	 */
	boolean observe(long serverSeconds, long clientNanos) {
		boolean valid = true;
		if (this.known) {
			if (serverSeconds + 1 < this.previousServerSeconds) {
				valid = false;
			}
			else {
				double clientDelta = (clientNanos - this.previousClientNanos) / 1e9;
				double serverDelta = serverSeconds - this.previousServerSeconds;
				valid = !(clientDelta + 2 < serverDelta - serverDelta / 16)
						&& !(serverDelta + 2 < clientDelta - clientDelta / 16);
			}
		}
		this.known = true;
		this.previousServerSeconds = serverSeconds;
		this.previousClientNanos = clientNanos;
		if (!valid) {
			this.stateLost.run();
		}
		return valid;
	}

}
