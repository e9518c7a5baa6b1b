package dev.natboot.core.stun;

/**
 * Which inbound packets a NAT or firewall lets through to a mapping (RFC 4787 section 5, measured as RFC 5780
 * section 4.4 describes).
 */
public enum FilteringBehavior {

	/** Packets from anyone. */
	ENDPOINT_INDEPENDENT,

	/** Only packets from addresses this host sent to. */
	ADDRESS_DEPENDENT,

	/** Only packets from addresses and ports this host sent to. */
	ADDRESS_AND_PORT_DEPENDENT,

	/** Not measured: the server cannot tell (no valid OTHER-ADDRESS, CHANGE-REQUEST ignored), or went silent. */
	UNKNOWN

}
