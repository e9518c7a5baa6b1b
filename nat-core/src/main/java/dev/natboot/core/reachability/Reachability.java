package dev.natboot.core.reachability;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The last check from outside of one mapping.
 *
 * @param status what it found
 * @param checkedAt when it ended, {@code null} if never checked
 * @param via the TURN server that checked, as a URI; {@code null} if none did
 * @param reason why it is not REACHABLE (the likely cause for UNREACHABLE), {@code null} when it is
 * @param took how long the check took, {@code null} if never checked
 * @param endpoint the external endpoint checked, as {@code ADDRESS:PORT}; {@code null} if none
 */
public record Reachability(ReachabilityStatus status, @Nullable Instant checkedAt, @Nullable String via,
		@Nullable String reason, @Nullable Duration took, @Nullable String endpoint) {

	/**
	 * Not checked, and why.
	 * @param reason why not
	 * @return the reachability
	 */
	public static Reachability unverified(String reason) {
		return new Reachability(ReachabilityStatus.UNVERIFIED, null, null, reason, null, null);
	}

	/**
	 * Whether a check from outside succeeded.
	 * @return true when REACHABLE
	 */
	public boolean isReachable() {
		return this.status == ReachabilityStatus.REACHABLE;
	}

	/**
	 * Whether this tells users something other than a previous result: the status or the reason changed.
	 * @param previous the previous result
	 * @return true when different in substance
	 */
	public boolean differsFrom(Reachability previous) {
		return previous.status != this.status || !java.util.Objects.equals(previous.reason, this.reason)
				|| !java.util.Objects.equals(previous.endpoint, this.endpoint);
	}

}
