package dev.natboot.core.ice;

import org.jspecify.annotations.Nullable;

/**
 * Where a candidate's address comes from (RFC 8445 section 5.1.1), with its name in SDP ({@code typ}) and the
 * type preference RFC 8445 section 5.1.2.2 recommends.
 */
public enum IceCandidateType {

	/** An address of one of the host's own interfaces. */
	HOST("host", 126),

	/** Learnt from a connectivity check: the address a peer saw the check come from. */
	PEER_REFLEXIVE("prflx", 110),

	/**
	 * The address a NAT gave the host's socket, as a STUN server saw it, or as the router mapped it with PCP,
	 * NAT-PMP or UPnP (natboot's port-mapped candidates go on the wire as {@code srflx}, which every agent knows).
	 */
	SERVER_REFLEXIVE("srflx", 100),

	/** An address on a TURN server that relays for the host. */
	RELAYED("relay", 0);

	private final String sdpName;

	private final int recommendedPreference;

	IceCandidateType(String sdpName, int recommendedPreference) {
		this.sdpName = sdpName;
		this.recommendedPreference = recommendedPreference;
	}

	/**
	 * The name in a candidate line.
	 * @return {@code host}, {@code prflx}, {@code srflx} or {@code relay}
	 */
	public String sdpName() {
		return this.sdpName;
	}

	/**
	 * RFC 8445's recommended type preference.
	 * @return 0 to 126
	 */
	public int recommendedPreference() {
		return this.recommendedPreference;
	}

	/**
	 * The type a candidate line names.
	 * @param sdpName its {@code typ}, in any letter case
	 * @return the type, or {@code null} for one this agent does not know
	 */
	public static @Nullable IceCandidateType ofSdpName(String sdpName) {
		for (IceCandidateType type : values()) {
			if (type.sdpName.equalsIgnoreCase(sdpName)) {
				return type;
			}
		}
		return null;
	}

}
