package dev.natboot.relay;

/** Where a relay stands. */
public enum RelayStatus {

	/** Not needed now (fallback mode and a mapping reaches the server), or never started. */
	STANDBY,

	/** Connecting to the relay server and asking it to forward. */
	CONNECTING,

	/** The relay server forwards its public endpoint to the server. */
	CONNECTED,

	/** Wanted but down: the last attempt failed or the connection was lost; retrying with backoff. */
	DISCONNECTED,

	/** Stopped for good (the application is stopping). */
	CLOSED

}
