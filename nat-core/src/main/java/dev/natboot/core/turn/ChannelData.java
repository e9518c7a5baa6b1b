package dev.natboot.core.turn;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.stun.StunAttribute;

/**
 * A ChannelData message (RFC 8656 section 12.4): application data to or from a peer bound to a channel, with
 * four octets of header instead of a Send or Data indication's 36. The first two bits (01) tell it from STUN
 * (00) on the same socket. Over TCP and TLS, messages are padded to a multiple of four octets.
 *
 * @param channel the channel number, 0x4000 to 0x4fff
 * @param data the application data, at most 65535 octets
 */
public record ChannelData(int channel, byte[] data) {

	/** The header: channel number and length. */
	public static final int HEADER_LENGTH = 4;

	/** The most data one message carries: its length field is 16 bits. */
	public static final int MAX_DATA_LENGTH = 0xffff;

	public ChannelData {
		if (channel < StunAttribute.ChannelNumber.MIN || channel > StunAttribute.ChannelNumber.MAX) {
			throw new IllegalArgumentException(String.format("TURN channels are 0x4000 to 0x4fff: 0x%x", channel));
		}
		if (data.length > MAX_DATA_LENGTH) {
			throw new IllegalArgumentException("ChannelData carries at most 65535 octets, not " + data.length);
		}
		data = data.clone();
	}

	@Override
	public byte[] data() {
		return this.data.clone();
	}

	/**
	 * Whether a datagram or frame starts as ChannelData does (its first two bits 01), for telling it from STUN.
	 * @param data the first octet at least
	 * @return true if it may be ChannelData
	 */
	public static boolean looksLikeChannelData(byte[] data) {
		return data.length >= 1 && (data[0] & 0xc0) == 0x40;
	}

	/**
	 * Encodes this message.
	 * @param padded true over TCP and TLS (a multiple of four octets), false over UDP
	 * @return the octets
	 */
	public byte[] encode(boolean padded) {
		int length = HEADER_LENGTH + this.data.length;
		ByteBuffer buffer = ByteBuffer.allocate(padded ? (length + 3) & ~3 : length);
		buffer.putShort((short) this.channel).putShort((short) this.data.length).put(this.data);
		return buffer.array();
	}

	/**
	 * The length of the frame whose header this is, padding included when padded: for reading from a stream.
	 * @param header at least the four octets of the header
	 * @param padded true over TCP and TLS
	 * @return the octets of the whole frame
	 * @throws MalformedMessageException if the header is not a ChannelData header
	 */
	public static int frameLength(byte[] header, boolean padded) throws MalformedMessageException {
		if (header.length < HEADER_LENGTH || !looksLikeChannelData(header)) {
			throw new MalformedMessageException("Not a ChannelData header");
		}
		int length = HEADER_LENGTH + (((header[2] & 0xff) << 8) | (header[3] & 0xff));
		return padded ? (length + 3) & ~3 : length;
	}

	/**
	 * Decodes a message. Over UDP the datagram may be longer than the length field says (RFC 8656 section 12.5:
	 * the rest is padding and ignored); never shorter.
	 * @param frame one datagram, or one frame read from a stream
	 * @return the message
	 * @throws MalformedMessageException if it is not a ChannelData message, names a channel outside the range,
	 * or announces more data than it holds
	 */
	public static ChannelData decode(byte[] frame) throws MalformedMessageException {
		if (frame.length < HEADER_LENGTH) {
			throw new MalformedMessageException("ChannelData of " + frame.length + " octets has no header");
		}
		int channel = ((frame[0] & 0xff) << 8) | (frame[1] & 0xff);
		if (channel < StunAttribute.ChannelNumber.MIN || channel > StunAttribute.ChannelNumber.MAX) {
			throw new MalformedMessageException(String.format("ChannelData on channel 0x%04x, outside 0x4000-0x4fff",
					channel));
		}
		int length = ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
		if (HEADER_LENGTH + length > frame.length) {
			throw new MalformedMessageException("ChannelData announces " + length + " octets, "
					+ (frame.length - HEADER_LENGTH) + " follow");
		}
		return new ChannelData(channel, Arrays.copyOfRange(frame, HEADER_LENGTH, HEADER_LENGTH + length));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ChannelData that && that.channel == this.channel && Arrays.equals(that.data, this.data);
	}

	@Override
	public int hashCode() {
		return 31 * this.channel + Arrays.hashCode(this.data);
	}

	@Override
	public String toString() {
		return String.format("ChannelData[channel=0x%04x, %d octets]", this.channel, this.data.length);
	}

}
