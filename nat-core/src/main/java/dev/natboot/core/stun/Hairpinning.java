package dev.natboot.core.stun;

/**
 * Whether a NAT forwards a packet that a host behind it sends to another host's public address behind the same NAT
 * (RFC 4787 section 6, RFC 5780 section 4.5): whether a LAN client can use the application's public address.
 */
public enum Hairpinning {

	SUPPORTED,

	/** The packet did not arrive, although this host had sent toward its source so that no filter could drop it. */
	NOT_SUPPORTED,

	/** No NAT, nothing to hairpin. */
	NOT_APPLICABLE,

	/** Not measured. */
	UNKNOWN

}
