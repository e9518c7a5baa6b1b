package dev.natboot.core.stun;

/**
 * How a NAT chooses the public address and port of a mapping (RFC 4787 section 4.1, measured as RFC 5780
 * section 4.3 describes).
 */
public enum MappingBehavior {

	/** No NAT: the server sees this host's own address and port. */
	NO_NAT,

	/** One public address and port per local socket, whatever the destination: peers can reach it. */
	ENDPOINT_INDEPENDENT,

	/** A new mapping for each destination address. */
	ADDRESS_DEPENDENT,

	/** A new mapping for each destination address and port. */
	ADDRESS_AND_PORT_DEPENDENT,

	/** Not measured: the server cannot tell (no valid OTHER-ADDRESS), or did not answer every test. */
	UNKNOWN;

	/**
	 * Whether the public address and port differ by destination, which defeats hole punching.
	 * @return true for the two dependent behaviours
	 */
	public boolean isDependent() {
		return this == ADDRESS_DEPENDENT || this == ADDRESS_AND_PORT_DEPENDENT;
	}

}
