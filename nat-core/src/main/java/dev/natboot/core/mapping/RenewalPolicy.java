package dev.natboot.core.mapping;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the engine talks to the router again: renewals at a random point between 1/2 and 5/8 of the granted
 * lifetime (early enough for a few retries, random so that many hosts do not renew in lockstep), and retries
 * after failures with capped exponential backoff.
 *
 * @param initialRetryDelay wait after the first failure in a row
 * @param maxRetryDelay longest wait between retries
 */
record RenewalPolicy(Duration initialRetryDelay, Duration maxRetryDelay) {

	/** Shortest wait before talking to the router again, so tiny lifetimes cannot make the engine spin. */
	static final long MIN_DELAY_NANOS = Duration.ofMillis(500).toNanos();

	RenewalPolicy {
		if (initialRetryDelay.isNegative() || initialRetryDelay.isZero() || maxRetryDelay.compareTo(initialRetryDelay) < 0) {
			throw new IllegalArgumentException("retry backoff must be positive with max >= initial");
		}
	}

	long renewDelayNanos(Duration lifetime) {
		double point = 0.5 + ThreadLocalRandom.current().nextDouble() * 0.125;
		return Math.max(MIN_DELAY_NANOS, (long) (lifetime.toNanos() * point));
	}

	/**
	 * Wait before the next attempt after a failure.
	 * @param failuresInARow failures since the last success, from 1
	 * @param remainingNanos time left on a grant that is still valid, or a negative value when none is
	 * @return the wait in nanoseconds
	 */
	long retryDelayNanos(int failuresInARow, long remainingNanos) {
		long base = this.initialRetryDelay.toNanos() << Math.min(failuresInARow - 1, 20);
		long capped = Math.min(Math.max(base, 0), this.maxRetryDelay.toNanos());
		long delay = (long) (capped * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4));
		if (remainingNanos > 0) {
			// Still mapped: try again well before the lease runs out.
			delay = Math.min(delay, Math.max(MIN_DELAY_NANOS, remainingNanos / 2));
		}
		return delay;
	}

}
