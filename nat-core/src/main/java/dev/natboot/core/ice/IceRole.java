package dev.natboot.core.ice;

/**
 * Which side of an ICE session decides (RFC 8445 section 6.1.1): the controlling agent nominates the pair both
 * use, the controlled one follows. When both think they have the same role, the tie-breakers of their checks
 * settle it (section 7.3.1.1), so two agents that both start controlling still connect.
 */
public enum IceRole {

	/** Nominates the pair; the side that sent its description first, by RFC 8445's convention. */
	CONTROLLING,

	/** Accepts the pair the controlling agent nominates. */
	CONTROLLED;

	/**
	 * The other role.
	 * @return controlled for controlling, and the reverse
	 */
	public IceRole opposite() {
		return (this == CONTROLLING) ? CONTROLLED : CONTROLLING;
	}

}
