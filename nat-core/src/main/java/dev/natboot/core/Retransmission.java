package dev.natboot.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to send a request again while no answer comes: the first wait, doubled after each try, for a bounded
 * number of tries. RFC 6886 and RFC 6887 describe the same doubling; their first waits (250 ms and 3 s) are
 * sized for the worst network, while a home router answers in a few milliseconds, so the default starts at
 * a LAN-sized wait and keeps doubling toward the RFC's.
 *
 * @param initialTimeout wait before the first retransmission
 * @param maxTimeout longest single wait
 * @param attempts how many times the request is sent in all
 */
public record Retransmission(Duration initialTimeout, Duration maxTimeout, int attempts) {

	/** 60 ms, 120 ms, ... up to 2 s between tries, 7 tries: gives up after about 5.7 s. */
	public static final Retransmission LAN = new Retransmission(Duration.ofMillis(60), Duration.ofSeconds(2), 7);

	public Retransmission {
		if (initialTimeout.isNegative() || initialTimeout.isZero()) {
			throw new IllegalArgumentException("initialTimeout must be positive");
		}
		if (maxTimeout.compareTo(initialTimeout) < 0) {
			throw new IllegalArgumentException("maxTimeout must not be shorter than initialTimeout");
		}
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1");
		}
	}

	/**
	 * How long to wait for an answer after the given try, with the +/-10% randomisation of RFC 6887 section
	 * 8.1.1 so that many clients restarting together do not retransmit in lockstep.
	 * @param attempt the try just sent, from 1
	 * @return the wait in nanoseconds
	 */
	public long timeoutNanos(int attempt) {
		return timeoutNanos(attempt, this.initialTimeout.toNanos());
	}

	/**
	 * Like {@link #timeoutNanos(int)}, from another first timeout: one measured from the server's round trips.
	 * @param attempt the try just sent, from 1
	 * @param initialNanos the first timeout, kept between {@link #initialTimeout()} and {@link #maxTimeout()}
	 * @return the wait in nanoseconds
	 */
	public long timeoutNanos(int attempt, long initialNanos) {
		long initial = Math.min(Math.max(initialNanos, this.initialTimeout.toNanos()), this.maxTimeout.toNanos());
		long base = initial << Math.min(attempt - 1, 30);
		long capped = Math.min(Math.max(base, 0), this.maxTimeout.toNanos());
		double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
		return (long) (capped * jitter);
	}

	/**
	 * Upper bound of the time all tries can take.
	 * @return the sum of every wait at its longest
	 */
	public Duration worstCase() {
		long total = 0;
		for (int attempt = 1; attempt <= this.attempts; attempt++) {
			long base = this.initialTimeout.toNanos() << Math.min(attempt - 1, 30);
			total += (long) (Math.min(Math.max(base, 0), this.maxTimeout.toNanos()) * 1.1);
		}
		return Duration.ofNanos(total);
	}

}
