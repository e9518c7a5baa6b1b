package dev.natboot.core.stun;

/**
 * The classic names of RFC 3489 that users search for, derived from the measured mapping and filtering
 * behaviours (RFC 5780 section 1 explains why the behaviours are the more precise description).
 */
public enum NatType {

	/** No NAT and no filtering: reachable as is. */
	OPEN_INTERNET("open internet"),

	/** No NAT, but a firewall that lets in only answers. */
	SYMMETRIC_UDP_FIREWALL("symmetric UDP firewall"),

	/** Endpoint-independent mapping and filtering. */
	FULL_CONE("full cone"),

	/** Endpoint-independent mapping, address-dependent filtering. */
	RESTRICTED_CONE("restricted cone"),

	/** Endpoint-independent mapping, address-and-port-dependent filtering. */
	PORT_RESTRICTED_CONE("port-restricted cone"),

	/** A mapping per destination. */
	SYMMETRIC("symmetric"),

	/** The behaviours that would tell are unknown. */
	UNKNOWN("unknown");

	private final String displayName;

	NatType(String displayName) {
		this.displayName = displayName;
	}

	/**
	 * The name as users know it.
	 * @return for example {@code port-restricted cone}
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Names a measured behaviour.
	 * @param mapping the mapping behaviour
	 * @param filtering the filtering behaviour
	 * @return the classic name, {@link #UNKNOWN} when the behaviours do not determine one
	 */
	public static NatType of(MappingBehavior mapping, FilteringBehavior filtering) {
		if (mapping.isDependent()) {
			return SYMMETRIC;
		}
		if (mapping == MappingBehavior.NO_NAT) {
			return switch (filtering) {
				case ENDPOINT_INDEPENDENT -> OPEN_INTERNET;
				case ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT -> SYMMETRIC_UDP_FIREWALL;
				case UNKNOWN -> UNKNOWN;
			};
		}
		if (mapping == MappingBehavior.ENDPOINT_INDEPENDENT) {
			return switch (filtering) {
				case ENDPOINT_INDEPENDENT -> FULL_CONE;
				case ADDRESS_DEPENDENT -> RESTRICTED_CONE;
				case ADDRESS_AND_PORT_DEPENDENT -> PORT_RESTRICTED_CONE;
				case UNKNOWN -> UNKNOWN;
			};
		}
		return UNKNOWN;
	}

}
