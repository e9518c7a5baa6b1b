package dev.natboot.core.io;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the datagrams a client heard and did not act on, by reason: what a hostile or broken LAN device
 * sends shows up here (and in the metrics), not in the log. Thread-safe; counting costs no allocation.
 */
public final class IgnoredDatagrams {

	private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

	public IgnoredDatagrams() {
		for (Reason reason : Reason.values()) {
			this.counts.put(reason, new LongAdder());
		}
	}

	/**
	 * Counts one datagram.
	 * @param reason why it was ignored
	 */
	public void count(Reason reason) {
		this.counts.get(reason).increment();
	}

	/**
	 * How many were ignored for a reason so far.
	 * @param reason the reason
	 * @return the count
	 */
	public long countOf(Reason reason) {
		return this.counts.get(reason).sum();
	}

	/** Why a datagram was not acted on. A bounded set: safe as a metric tag. */
	public enum Reason {

		/** Not a message of the protocol, or malformed. */
		MALFORMED,

		/** An answer no request was waiting for, or that matches none (another opcode, port or nonce). */
		UNMATCHED,

		/** An error answer without the fields that tell which of several pending requests it answers. */
		AMBIGUOUS,

		/** An announcement from another address or port than the router's own server. */
		FOREIGN,

		/** An announcement from the router's address that names another device, or a message that is no announcement. */
		NOT_THE_ROUTERS;

		/**
		 * The name used as a metric tag.
		 * @return lower case, with dashes
		 */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
