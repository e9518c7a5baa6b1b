package dev.natboot.core.ice;

import java.time.Duration;

/**
 * The timers and limits of an agent, as its builder set them.
 * @param pacing Ta: the time between two checks this agent starts (RFC 8445 section 14.2)
 * @param checkTimeout the first retransmission timeout of a check, the RTO floor of RFC 8445 section 14.3
 * @param checkAttempts how often a check is sent before its pair fails
 * @param nominationDelay how long the controlling agent waits, after the first valid pair, for a better pair
 *     to succeed before it nominates the best it has
 * @param consentInterval the mean time between consent checks (RFC 7675: 5 s, randomized 0.8 to 1.2)
 * @param consentTimeout how long without an answer to a consent check before consent is lost (RFC 7675: 30 s)
 * @param checksPerSecond how many checks a second one source may send before the rest are dropped
 */
record IceSettings(Duration pacing, Duration checkTimeout, int checkAttempts, Duration nominationDelay,
		Duration consentInterval, Duration consentTimeout, int checksPerSecond) {

	static final IceSettings DEFAULTS = new IceSettings(Duration.ofMillis(10), Duration.ofMillis(500), 5,
			Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30), 100);

}
