package dev.natboot.core.pcp;

import org.jspecify.annotations.Nullable;

/**
 * PCP opcodes (RFC 6887 section 19.2).
 */
public enum PcpOpcode {

	ANNOUNCE(0), MAP(1), PEER(2);

	private final int code;

	PcpOpcode(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/**
	 * Length of this opcode's fixed data after the common header.
	 * @return 0, 36 or 56 octets
	 */
	public int dataLength() {
		return switch (this) {
			case ANNOUNCE -> 0;
			case MAP -> PcpMapData.LENGTH;
			case PEER -> PcpPeerData.LENGTH;
		};
	}

	static @Nullable PcpOpcode of(int code) {
		for (PcpOpcode opcode : values()) {
			if (opcode.code == code) {
				return opcode;
			}
		}
		return null;
	}

}
