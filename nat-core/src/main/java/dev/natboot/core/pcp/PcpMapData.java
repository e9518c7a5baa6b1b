package dev.natboot.core.pcp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * MAP opcode data (RFC 6887 section 11.1). In a request the external port and address are suggestions; in a
 * response they are what the server assigned.
 *
 * @param nonce 12 random octets that identify the mapping to the server; kept for renewals and deletion
 * @param protocol IANA protocol number, 0 for all protocols
 * @param internalPort port on the client, 0 for all ports
 * @param externalPort suggested or assigned external port, 0 for no preference
 * @param externalAddress suggested or assigned external address; the IPv4 or IPv6 unspecified address for
 * no preference
 */
public record PcpMapData(byte[] nonce, int protocol, int internalPort, int externalPort, InetAddress externalAddress)
		implements PcpOpcodeData {

	/** Octets of MAP data on the wire. */
	public static final int LENGTH = 36;

	/** Octets in a mapping nonce. */
	public static final int NONCE_LENGTH = 12;

	public PcpMapData {
		if (nonce.length != NONCE_LENGTH) {
			throw new IllegalArgumentException("nonce must be 12 octets");
		}
		nonce = nonce.clone();
		PcpCodec.checkRange("protocol", protocol, 255);
		PcpCodec.checkRange("internalPort", internalPort, 65535);
		PcpCodec.checkRange("externalPort", externalPort, 65535);
	}

	@Override
	public byte[] nonce() {
		return this.nonce.clone();
	}

	/**
	 * Whether this data names the same mapping as another: same nonce, protocol and internal port, the fields
	 * a PCP client matches a response on (RFC 6887 section 11.4).
	 * @param other data from the request
	 * @return true if a response with this data answers that request
	 */
	public boolean sameMappingAs(PcpMapData other) {
		return Arrays.equals(this.nonce, other.nonce) && this.protocol == other.protocol
				&& this.internalPort == other.internalPort;
	}

	@Override
	public PcpMapData mapPart() {
		return this;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PcpMapData that && sameMappingAs(that) && this.externalPort == that.externalPort
				&& this.externalAddress.equals(that.externalAddress);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.nonce) * 31 + this.internalPort;
	}

	@Override
	public String toString() {
		return "PcpMapData[nonce=" + HexFormat.of().formatHex(this.nonce) + ", protocol=" + this.protocol
				+ ", internalPort=" + this.internalPort + ", externalPort=" + this.externalPort + ", externalAddress="
				+ this.externalAddress.getHostAddress() + "]";
	}

}
