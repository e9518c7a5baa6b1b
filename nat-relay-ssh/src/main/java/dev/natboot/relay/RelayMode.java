package dev.natboot.relay;

import java.util.Locale;

/** When a configured relay is used. */
public enum RelayMode {

	/**
	 * Only while the server is not reachable otherwise: no mapping, a mapping behind another NAT, or one a check
	 * from outside found unreachable. Torn down once a mapping is reachable again (verified from outside when a
	 * TURN server is configured).
	 */
	FALLBACK,

	/** Always, whatever the mappings: the relay is the address to publish. */
	ALWAYS,

	/** Never, though configured. */
	NEVER;

	/**
	 * Reads a mode as users write it, in any case.
	 * @param text fallback, always or never
	 * @return the mode
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static RelayMode parse(String text) {
		try {
			return valueOf(text.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unknown relay mode '" + text + "': use fallback, always or never");
		}
	}

}
