package dev.natboot.core.mapping;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * One log line per kind of router signal per window: a router that announces a restart is news, a LAN device
 * that forges one every 200 ms must not fill the log. Lines held back are counted and reported with the next
 * one. Used on the loop thread only.
 */
final class SignalLog {

	/** Long enough that a storm costs a handful of lines an hour, short enough that real events stay visible. */
	static final Duration WINDOW = Duration.ofMinutes(5);

	private final Logger logger;

	private final long windowNanos;

	private final Map<Kind, Long> lastNanos = new EnumMap<>(Kind.class);

	private final Map<Kind, Integer> heldBack = new EnumMap<>(Kind.class);

	SignalLog(Logger logger, Duration window) {
		this.logger = logger;
		this.windowNanos = window.toNanos();
	}

	/**
	 * Logs a line unless one of the same kind was logged within the window.
	 * @param kind what happened
	 * @param level the level of the line
	 * @param message the line
	 * @return whether it was logged
	 */
	boolean log(Kind kind, Level level, String message) {
		long now = System.nanoTime();
		Long last = this.lastNanos.get(kind);
		if (last != null && now - last < this.windowNanos) {
			this.heldBack.merge(kind, 1, Integer::sum);
			return false;
		}
		this.lastNanos.put(kind, now);
		Integer held = this.heldBack.remove(kind);
		this.logger.log(level, (held == null) ? message
				: message + " (" + held + " more like it in the last " + this.windowNanos / 60_000_000_000L + " minutes)");
		return true;
	}

	/** The kinds of router signal that get a line of their own. */
	enum Kind {

		/** The router's answers show it lost its mappings. */
		STATE_LOST,

		/** The router's UPnP service said goodbye. */
		UPNP_GOODBYE,

		/** The router's UPnP service announced a new boot or location. */
		UPNP_RESTART,

		/** An announcement the router's own answer did not bear out. */
		UNCONFIRMED_ANNOUNCEMENT

	}

}
