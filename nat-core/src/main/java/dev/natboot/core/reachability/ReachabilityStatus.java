package dev.natboot.core.reachability;

/** What the check from outside found. */
public enum ReachabilityStatus {

	/** A connection from outside reached the application (and, for a web server, it answered HTTP). */
	REACHABLE,

	/** The router holds the mapping, but a connection from outside did not come through. */
	UNREACHABLE,

	/** Not checked: no TURN server configured, not a TCP mapping, or not mapped yet. */
	UNVERIFIED,

	/** The check itself failed: the TURN server is down, or refused the credentials. */
	FAILING

}
