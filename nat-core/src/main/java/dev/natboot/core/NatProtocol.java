package dev.natboot.core;

/**
 * How a mapping was obtained.
 */
public enum NatProtocol {

	/** Port Control Protocol, RFC 6887. */
	PCP("PCP"),

	/** NAT Port Mapping Protocol, RFC 6886. */
	NAT_PMP("NAT-PMP"),

	/** UPnP Internet Gateway Device, v1 or v2 (WANIPConnection or WANPPPConnection). */
	UPNP("UPnP"),

	/**
	 * Session Traversal Utilities for NAT, RFC 8489: no router involved, forwarding was set up by hand and the
	 * external address is the one a STUN server sees ({@code nat.mode=stun}).
	 */
	STUN("STUN"),

	/** Traversal Using Relays around NAT (RFC 8656, RFC 6062): a relay on a server, and checks from outside. */
	TURN("TURN"),

	/** Interactive Connectivity Establishment (RFC 8445): a path to a peer found by connectivity checks. */
	ICE("ICE"),

	/** No router involved: forwarding was set up by hand and declared with {@code extip:ADDRESS}. */
	MANUAL("manual");

	private final String displayName;

	NatProtocol(String displayName) {
		this.displayName = displayName;
	}

	public String displayName() {
		return this.displayName;
	}

}
