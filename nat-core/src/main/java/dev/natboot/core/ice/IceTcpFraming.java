package dev.natboot.core.ice;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.stun.StunCodec;

/**
 * How ICE-TCP carries packets on a stream (RFC 6544 section 3): each STUN message and each application packet
 * as an RFC 4571 frame, a 16-bit length in network order and then that many octets. Also the other way a
 * stream carries STUN, to a STUN server (RFC 8489 section 6.2.2): messages back to back, each as long as its
 * header says. Both readers take the stream in whatever pieces it arrives and never hold more than one packet.
 */
public final class IceTcpFraming {

	/** The longest packet a frame carries: its length field has 16 bits. */
	public static final int MAX_PACKET = 0xffff;

	private IceTcpFraming() {
	}

	/**
	 * One packet as a frame.
	 * @param packet at most {@value #MAX_PACKET} octets
	 * @return its length and the packet
	 * @throws IllegalArgumentException if the packet is longer
	 */
	public static byte[] frame(byte[] packet) {
		if (packet.length > MAX_PACKET) {
			throw new IllegalArgumentException("An RFC 4571 frame carries at most " + MAX_PACKET + " octets, not "
					+ packet.length);
		}
		byte[] framed = new byte[packet.length + 2];
		framed[0] = (byte) (packet.length >>> 8);
		framed[1] = (byte) packet.length;
		System.arraycopy(packet, 0, framed, 2, packet.length);
		return framed;
	}

	/**
	 * A reader of one stream, for RFC 4571 frames or for bare STUN messages.
	 * @param framed RFC 4571 frames (a peer's connection); false for STUN messages back to back (a server's)
	 * @return a new reader
	 */
	public static Reader reader(boolean framed) {
		return new Reader(framed);
	}

	/** Reads the packets of one stream, as its octets arrive. Not thread-safe: one per connection. */
	public static final class Reader {

		private final boolean framed;

		private final int headerLength;

		private ByteBuffer header;

		private ByteBuffer body;

		private Reader(boolean framed) {
			this.framed = framed;
			this.headerLength = framed ? 2 : StunCodec.HEADER_LENGTH;
			this.header = ByteBuffer.allocate(this.headerLength);
		}

		/**
		 * Takes the octets that arrived.
		 * @param octets read from the stream; consumed completely
		 * @return the packets they complete, in order; none while a packet is incomplete
		 * @throws MalformedMessageException if a STUN stream carries something that is no STUN message (an RFC
		 *     4571 stream cannot be malformed: any length is a length); the stream is then of no further use
		 */
		public List<byte[]> read(ByteBuffer octets) throws MalformedMessageException {
			List<byte[]> packets = new ArrayList<>(1);
			while (octets.hasRemaining()) {
				if (this.body == null) {
					copy(octets, this.header);
					if (this.header.hasRemaining()) {
						break;
					}
					this.body = ByteBuffer.allocate(bodyLength());
				}
				copy(octets, this.body);
				if (this.body.hasRemaining()) {
					break;
				}
				packets.add(packet());
			}
			return packets;
		}

		private int bodyLength() throws MalformedMessageException {
			byte[] read = this.header.array();
			if (this.framed) {
				return ((read[0] & 0xff) << 8) | (read[1] & 0xff);
			}
			return StunCodec.messageLength(read) - StunCodec.HEADER_LENGTH;
		}

		private byte[] packet() {
			byte[] packet;
			if (this.framed) {
				packet = this.body.array();
			}
			else {
				packet = new byte[this.headerLength + this.body.capacity()];
				System.arraycopy(this.header.array(), 0, packet, 0, this.headerLength);
				System.arraycopy(this.body.array(), 0, packet, this.headerLength, this.body.capacity());
			}
			this.header = ByteBuffer.allocate(this.headerLength);
			this.body = null;
			return packet;
		}

		private static void copy(ByteBuffer from, ByteBuffer to) {
			int count = Math.min(from.remaining(), to.remaining());
			int limit = from.limit();
			from.limit(from.position() + count);
			to.put(from);
			from.limit(limit);
		}

	}

}
