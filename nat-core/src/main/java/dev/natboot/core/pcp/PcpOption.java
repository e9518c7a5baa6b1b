package dev.natboot.core.pcp;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A PCP option (RFC 6887 section 7.3): a code and its data, without the padding.
 *
 * @param code option code; codes 0-127 must be understood by the receiver, 128-255 are optional
 * @param data option data
 */
public record PcpOption(int code, byte[] data) {

	/** THIRD_PARTY: map for another host's address (RFC 6887 section 13.1). */
	public static final int THIRD_PARTY = 1;

	/** PREFER_FAILURE: fail rather than assign another external port (section 13.2). */
	public static final int PREFER_FAILURE = 2;

	/** FILTER: only let the given remote peers in (section 13.3). */
	public static final int FILTER = 3;

	/** Largest option data that fits in a PCP message. */
	public static final int MAX_DATA_LENGTH = PcpCodec.MAX_MESSAGE_LENGTH - 28;

	public PcpOption {
		PcpCodec.checkRange("code", code, 255);
		if (data.length > MAX_DATA_LENGTH) {
			throw new IllegalArgumentException("option data too long: " + data.length);
		}
		data = data.clone();
	}

	@Override
	public byte[] data() {
		return this.data.clone();
	}

	int dataLength() {
		return this.data.length;
	}

	void writeData(ByteBuffer buffer) {
		buffer.put(this.data);
	}

	/**
	 * Whether a receiver that does not know this option must reject the message (codes below 128).
	 * @return true for mandatory-to-process options
	 */
	public boolean isMandatory() {
		return this.code < 128;
	}

	public static PcpOption preferFailure() {
		return new PcpOption(PREFER_FAILURE, new byte[0]);
	}

	public static PcpOption thirdParty(InetAddress internalAddress) {
		return new PcpOption(THIRD_PARTY, PcpCodec.addressBytes(internalAddress));
	}

	/**
	 * A FILTER option.
	 * @param prefixLength length of the remote peer prefix, 0 to 128
	 * @param remotePort remote peer port, 0 for all ports
	 * @param remoteAddress remote peer address
	 * @return the option
	 */
	public static PcpOption filter(int prefixLength, int remotePort, InetAddress remoteAddress) {
		PcpCodec.checkRange("prefixLength", prefixLength, 128);
		PcpCodec.checkRange("remotePort", remotePort, 65535);
		ByteBuffer data = ByteBuffer.allocate(20);
		data.put((byte) 0).put((byte) prefixLength).putShort((short) remotePort);
		data.put(PcpCodec.addressBytes(remoteAddress));
		return new PcpOption(FILTER, data.array());
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PcpOption that && this.code == that.code && Arrays.equals(this.data, that.data);
	}

	@Override
	public int hashCode() {
		return this.code * 31 + Arrays.hashCode(this.data);
	}

	@Override
	public String toString() {
		return "PcpOption[code=" + this.code + ", data=" + HexFormat.of().formatHex(this.data) + "]";
	}

}
