package dev.natboot.relay;

/** Hears a relay come and go; called on the relay's own thread, so a listener must not block for long. */
public interface RelayListener {

	/**
	 * The relay forwards its public endpoint to the server (first connect or a reconnect).
	 * @param state the relay, connected
	 */
	default void relayConnected(RelayState state) {
	}

	/**
	 * The relay was wanted and is not up: an attempt failed, or the connection was lost. Called for each change
	 * of error, not for every retry that fails the same way.
	 * @param state the relay, with the error
	 * @param cause why
	 */
	default void relayLost(RelayState state, RelayException cause) {
	}

	/**
	 * The relay was taken down on purpose: not needed any more (fallback mode) or the application stops.
	 * @param state the relay, in STANDBY or CLOSED
	 */
	default void relayReleased(RelayState state) {
	}

}
