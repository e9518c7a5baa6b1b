package dev.natboot.relay;

import dev.natboot.core.reachability.Reachability;

/** Hears the checks from outside of the relayed endpoint (when a TURN server is configured). */
@FunctionalInterface
public interface RelayVerificationListener {

	/**
	 * A check of the relay's public endpoint ended.
	 * @param result what it found
	 */
	void relayChecked(Reachability result);

}
