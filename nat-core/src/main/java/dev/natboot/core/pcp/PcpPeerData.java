package dev.natboot.core.pcp;

import java.net.InetAddress;

/**
 * PEER opcode data (RFC 6887 section 12.1): the MAP fields followed by the remote peer.
 *
 * @param mapPart nonce, protocol, internal and external port and address
 * @param remotePort the remote peer's port
 * @param remoteAddress the remote peer's address
 */
public record PcpPeerData(PcpMapData mapPart, int remotePort, InetAddress remoteAddress) implements PcpOpcodeData {

	/** Octets of PEER data on the wire. */
	public static final int LENGTH = 56;

	public PcpPeerData {
		PcpCodec.checkRange("remotePort", remotePort, 65535);
	}

}
