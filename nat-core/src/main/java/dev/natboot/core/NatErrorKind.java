package dev.natboot.core;

/**
 * What went wrong, in terms that hold across protocols. A bounded set: safe as a metric tag.
 */
public enum NatErrorKind {

	/** No gateway address is known (none configured, none in the routing table). */
	NO_GATEWAY,

	/** The gateway did not answer within the retransmission schedule. */
	NO_RESPONSE,

	/** The gateway does not speak this protocol version. */
	UNSUPPORTED_VERSION,

	/** The gateway does not support the operation or an option that was required. */
	UNSUPPORTED_OPERATION,

	/** The gateway refused: mapping not allowed for this client or port. */
	NOT_AUTHORIZED,

	/** The gateway has no resources left (table full, no free external port). */
	NO_RESOURCES,

	/** The gateway has no working external network (not connected, no address). */
	NETWORK_FAILURE,

	/** The client address seen by the gateway differs from the one sent: another NAT sits in between. */
	ADDRESS_MISMATCH,

	/** The gateway cannot provide the external port or address asked for. */
	CANNOT_PROVIDE_EXTERNAL,

	/**
	 * The router holds the mapping's external port for another host or application now (it lost this one's and
	 * gave the port away): it is no longer this application's to renew or delete.
	 */
	MAPPING_TAKEN,

	/** The gateway answered with something that could not be parsed or made no sense. */
	MALFORMED_RESPONSE,

	/** The gateway rejected the request for another protocol-level reason. */
	PROTOCOL_ERROR,

	/** A local I/O failure (socket could not be opened, network unreachable). */
	IO_ERROR;

	/**
	 * Whether the error means no router answered at all (none found, silence, or a socket failure), rather than
	 * a router that answered and refused.
	 * @return true for {@link #NO_GATEWAY}, {@link #NO_RESPONSE} and {@link #IO_ERROR}
	 */
	public boolean isNoAnswer() {
		return this == NO_GATEWAY || this == NO_RESPONSE || this == IO_ERROR;
	}

}
