package dev.natboot.core.pmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Transport;

/**
 * Encodes and decodes NAT-PMP messages (RFC 6886). Decoding treats every packet as hostile: any deviation from
 * the wire format is a {@link MalformedMessageException}, never another exception.
 */
public final class PmpCodec {

	/** The NAT-PMP version: 0. */
	public static final int VERSION = 0;

	/** Octets of a response header: version, opcode, result code, epoch. Error responses may stop here. */
	public static final int RESPONSE_HEADER_LENGTH = 8;

	/** Largest datagram accepted; real messages are at most 16 octets. */
	public static final int MAX_MESSAGE_LENGTH = 1100;

	private static final int EXTERNAL_ADDRESS_RESPONSE_LENGTH = 12;

	private static final int MAP_RESPONSE_LENGTH = 16;

	private static final int MAP_REQUEST_LENGTH = 12;

	private PmpCodec() {
	}

	public static byte[] encode(PmpRequest request) {
		if (request instanceof PmpMapRequest map) {
			return ByteBuffer.allocate(MAP_REQUEST_LENGTH)
				.put((byte) VERSION)
				.put((byte) map.opcode())
				.putShort((short) 0)
				.putShort((short) map.internalPort())
				.putShort((short) map.suggestedExternalPort())
				.putInt((int) map.lifetimeSeconds())
				.array();
		}
		return new byte[] { VERSION, 0 };
	}

	public static byte[] encode(PmpResponse response) {
		if (response instanceof PmpMapResponse map) {
			return ByteBuffer.allocate(MAP_RESPONSE_LENGTH)
				.put((byte) VERSION)
				.put((byte) map.opcode())
				.putShort((short) map.result().code())
				.putInt((int) map.epochSeconds())
				.putShort((short) map.internalPort())
				.putShort((short) map.mappedExternalPort())
				.putInt((int) map.lifetimeSeconds())
				.array();
		}
		PmpExternalAddressResponse address = (PmpExternalAddressResponse) response;
		return ByteBuffer.allocate(EXTERNAL_ADDRESS_RESPONSE_LENGTH)
			.put((byte) VERSION)
			.put((byte) address.opcode())
			.putShort((short) address.result().code())
			.putInt((int) address.epochSeconds())
			.put(address.externalAddress().getAddress())
			.array();
	}

	public static PmpRequest decodeRequest(byte[] packet) throws MalformedMessageException {
		return decodeRequest(packet, 0, packet.length);
	}

	public static PmpRequest decodeRequest(byte[] packet, int offset, int length) throws MalformedMessageException {
		ByteBuffer buffer = frame(packet, offset, length, 2);
		int opcode = buffer.get(1) & 0xff;
		if (opcode == 0) {
			return new PmpExternalAddressRequest();
		}
		Transport transport = transportOf(opcode);
		if (length < MAP_REQUEST_LENGTH) {
			throw new MalformedMessageException("NAT-PMP map request of " + length + " octets, expected 12");
		}
		buffer.position(4);
		int internalPort = buffer.getShort() & 0xffff;
		int externalPort = buffer.getShort() & 0xffff;
		long lifetime = Integer.toUnsignedLong(buffer.getInt());
		return new PmpMapRequest(transport, internalPort, externalPort, lifetime);
	}

	public static PmpResponse decodeResponse(byte[] packet) throws MalformedMessageException {
		return decodeResponse(packet, 0, packet.length);
	}

	public static PmpResponse decodeResponse(byte[] packet, int offset, int length) throws MalformedMessageException {
		ByteBuffer buffer = frame(packet, offset, length, RESPONSE_HEADER_LENGTH);
		int opcode = buffer.get(1) & 0xff;
		if (opcode < 128) {
			throw new MalformedMessageException("NAT-PMP message is a request, not a response");
		}
		int code = buffer.getShort(2) & 0xffff;
		PmpResultCode result = PmpResultCode.of(code);
		if (result == null) {
			throw new MalformedMessageException("NAT-PMP result code " + code + " is not defined");
		}
		long epoch = Integer.toUnsignedLong(buffer.getInt(4));
		// RFC 6886 section 3.5: fields after the header are undefined on error, and may be missing.
		boolean full = result == PmpResultCode.SUCCESS;
		if (opcode == 128) {
			if (full && length < EXTERNAL_ADDRESS_RESPONSE_LENGTH) {
				throw new MalformedMessageException("NAT-PMP address response of " + length + " octets, expected 12");
			}
			byte[] address = new byte[4];
			if (full) {
				buffer.position(8);
				buffer.get(address);
			}
			return new PmpExternalAddressResponse(result, epoch, ipv4(address));
		}
		Transport transport = transportOf(opcode - 128);
		if (full && length < MAP_RESPONSE_LENGTH) {
			throw new MalformedMessageException("NAT-PMP map response of " + length + " octets, expected 16");
		}
		if (length < MAP_RESPONSE_LENGTH) {
			return new PmpMapResponse(transport, result, epoch, 0, 0, 0);
		}
		buffer.position(8);
		int internalPort = buffer.getShort() & 0xffff;
		int externalPort = buffer.getShort() & 0xffff;
		long lifetime = Integer.toUnsignedLong(buffer.getInt());
		return new PmpMapResponse(transport, result, epoch, internalPort, externalPort, lifetime);
	}

	private static ByteBuffer frame(byte[] packet, int offset, int length, int minimum)
			throws MalformedMessageException {
		if (offset < 0 || length < 0 || offset > packet.length - length) {
			throw new MalformedMessageException("bad packet bounds");
		}
		if (length < minimum) {
			throw new MalformedMessageException("NAT-PMP message of " + length + " octets is truncated");
		}
		if (length > MAX_MESSAGE_LENGTH) {
			throw new MalformedMessageException("NAT-PMP message of " + length + " octets is too long");
		}
		int version = packet[offset] & 0xff;
		if (version != VERSION) {
			throw new MalformedMessageException("NAT-PMP version " + version + " is not 0");
		}
		return ByteBuffer.wrap(packet, offset, length).slice();
	}

	private static Transport transportOf(int opcode) throws MalformedMessageException {
		return switch (opcode) {
			case 1 -> Transport.UDP;
			case 2 -> Transport.TCP;
			default -> throw new MalformedMessageException("NAT-PMP opcode " + opcode + " is unknown");
		};
	}

	static int opcodeOf(Transport transport) {
		return (transport == Transport.UDP) ? 1 : 2;
	}

	static Inet4Address ipv4(byte[] address) {
		try {
			return (Inet4Address) InetAddress.getByAddress(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex); // cannot happen for 4 octets
		}
	}

	static void checkPort(String name, int port) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException(name + " must be between 0 and 65535: " + port);
		}
	}

	static void checkUnsigned32(String name, long value) {
		if (value < 0 || value > 0xffffffffL) {
			throw new IllegalArgumentException(name + " must fit in 32 unsigned bits: " + value);
		}
	}

}
