package dev.natboot.core.reachability;

import dev.natboot.core.mapping.Mapping;

/** Hears the results of checks from outside. */
@FunctionalInterface
public interface ReachabilityListener {

	/**
	 * A mapping's reachability changed in substance (status, reason or endpoint); called on the checking thread.
	 * @param mapping the mapping as it was checked
	 * @param previous what was known before
	 * @param current the new result
	 */
	void reachabilityChanged(Mapping mapping, Reachability previous, Reachability current);

	/**
	 * A check ended, whatever it found (for timers and counters).
	 * @param mapping the mapping
	 * @param result the result
	 */
	default void checked(Mapping mapping, Reachability result) {
	}

}
