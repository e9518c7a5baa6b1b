package dev.natboot.core.ice;

import org.jspecify.annotations.Nullable;

/** How a TCP candidate connects (RFC 6544 section 4.5): its {@code tcptype} in SDP. */
public enum IceTcpType {

	/** Opens connections, never accepts them. */
	ACTIVE("active"),

	/** Accepts connections, never opens them. */
	PASSIVE("passive"),

	/** Opens a connection while the peer opens one to it (simultaneous open). */
	SIMULTANEOUS_OPEN("so");

	private final String sdpName;

	IceTcpType(String sdpName) {
		this.sdpName = sdpName;
	}

	/**
	 * The name in a candidate line.
	 * @return {@code active}, {@code passive} or {@code so}
	 */
	public String sdpName() {
		return this.sdpName;
	}

	/**
	 * The TCP type a candidate line names.
	 * @param sdpName its {@code tcptype}, in any letter case
	 * @return the type, or {@code null} if it is none of the three
	 */
	public static @Nullable IceTcpType ofSdpName(String sdpName) {
		for (IceTcpType type : values()) {
			if (type.sdpName.equalsIgnoreCase(sdpName)) {
				return type;
			}
		}
		return null;
	}

}
