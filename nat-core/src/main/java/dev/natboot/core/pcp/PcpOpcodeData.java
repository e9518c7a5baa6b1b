package dev.natboot.core.pcp;

/**
 * Opcode-specific data of a PCP message: {@link PcpMapData} for MAP, {@link PcpPeerData} for PEER.
 */
public sealed interface PcpOpcodeData permits PcpMapData, PcpPeerData {

	/**
	 * The MAP fields, which PEER also carries first.
	 * @return the MAP part of this data
	 */
	PcpMapData mapPart();

}
