package dev.natboot.core.pcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes PCP messages (RFC 6887). Decoding treats every packet as hostile: any deviation from
 * the wire format is a {@link MalformedMessageException}, never another exception.
 */
public final class PcpCodec {

	/** The PCP version this codec speaks. */
	public static final int VERSION = 2;

	/** Length of the common request and response header. */
	public static final int HEADER_LENGTH = 24;

	/** Largest PCP message (RFC 6887 section 7). */
	public static final int MAX_MESSAGE_LENGTH = 1100;

	private static final int RESPONSE_BIT = 0x80;

	private static final byte[] IPV4_MAPPED_PREFIX = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff };

	private PcpCodec() {
	}

	public static byte[] encode(PcpRequest request) {
		ByteBuffer buffer = ByteBuffer.allocate(length(request.opcode(), request.data(), request.options()));
		buffer.put((byte) VERSION).put((byte) request.opcode().code()).putShort((short) 0);
		buffer.putInt((int) request.lifetimeSeconds());
		buffer.put(addressBytes(request.clientAddress()));
		writeBody(buffer, request.data(), request.options());
		return buffer.array();
	}

	public static byte[] encode(PcpResponse response) {
		PcpOpcodeData data = response.data();
		ByteBuffer buffer = ByteBuffer.allocate(length(response.opcode(), data, response.options()));
		buffer.put((byte) VERSION).put((byte) (RESPONSE_BIT | response.opcode().code())).put((byte) 0);
		buffer.put((byte) response.result().code());
		buffer.putInt((int) response.lifetimeSeconds()).putInt((int) response.epochSeconds());
		buffer.put(new byte[12]);
		writeBody(buffer, data, response.options());
		return buffer.array();
	}

	public static PcpRequest decodeRequest(byte[] packet) throws MalformedMessageException {
		return decodeRequest(packet, 0, packet.length);
	}

	public static PcpRequest decodeRequest(byte[] packet, int offset, int length) throws MalformedMessageException {
		ByteBuffer buffer = frame(packet, offset, length);
		int opcodeByte = buffer.get(1) & 0xff;
		if ((opcodeByte & RESPONSE_BIT) != 0) {
			throw new MalformedMessageException("PCP message is a response, not a request");
		}
		PcpOpcode opcode = opcode(opcodeByte);
		buffer.position(4);
		long lifetime = Integer.toUnsignedLong(buffer.getInt());
		InetAddress client = readAddress(buffer);
		PcpOpcodeData data = readData(buffer, opcode, true);
		List<PcpOption> options = readOptions(buffer);
		return new PcpRequest(opcode, lifetime, client, data, options);
	}

	public static PcpResponse decodeResponse(byte[] packet) throws MalformedMessageException {
		return decodeResponse(packet, 0, packet.length);
	}

	public static PcpResponse decodeResponse(byte[] packet, int offset, int length) throws MalformedMessageException {
		ByteBuffer buffer = frame(packet, offset, length);
		int opcodeByte = buffer.get(1) & 0xff;
		if ((opcodeByte & RESPONSE_BIT) == 0) {
			throw new MalformedMessageException("PCP message is a request, not a response");
		}
		PcpOpcode opcode = opcode(opcodeByte & ~RESPONSE_BIT);
		PcpResultCode result = PcpResultCode.of(buffer.get(3) & 0xff);
		if (result == null) {
			throw new MalformedMessageException("PCP result code " + (buffer.get(3) & 0xff) + " is not defined");
		}
		buffer.position(4);
		long lifetime = Integer.toUnsignedLong(buffer.getInt());
		long epoch = Integer.toUnsignedLong(buffer.getInt());
		buffer.position(HEADER_LENGTH);
		// An error response may stop after the header when the server could not parse the request.
		boolean dataRequired = result == PcpResultCode.SUCCESS || buffer.hasRemaining();
		PcpOpcodeData data = readData(buffer, opcode, dataRequired);
		List<PcpOption> options = readOptions(buffer);
		return new PcpResponse(opcode, result, lifetime, epoch, data, options);
	}

	private static ByteBuffer frame(byte[] packet, int offset, int length) throws MalformedMessageException {
		if (offset < 0 || length < 0 || offset > packet.length - length) {
			throw new MalformedMessageException("bad packet bounds");
		}
		if (length < HEADER_LENGTH) {
			throw new MalformedMessageException("PCP message of " + length + " octets is shorter than its header");
		}
		if (length > MAX_MESSAGE_LENGTH) {
			throw new MalformedMessageException("PCP message of " + length + " octets is longer than 1100");
		}
		if (length % 4 != 0) {
			throw new MalformedMessageException("PCP message length " + length + " is not a multiple of 4");
		}
		ByteBuffer buffer = ByteBuffer.wrap(packet, offset, length).slice();
		int version = buffer.get(0) & 0xff;
		if (version != VERSION) {
			throw new MalformedMessageException("PCP version " + version + " is not 2");
		}
		return buffer;
	}

	private static PcpOpcode opcode(int code) throws MalformedMessageException {
		PcpOpcode opcode = PcpOpcode.of(code);
		if (opcode == null) {
			throw new MalformedMessageException("PCP opcode " + code + " is unknown");
		}
		return opcode;
	}

	private static @Nullable PcpOpcodeData readData(ByteBuffer buffer, PcpOpcode opcode, boolean required)
			throws MalformedMessageException {
		if (opcode == PcpOpcode.ANNOUNCE || !required) {
			return null;
		}
		if (buffer.remaining() < opcode.dataLength()) {
			throw new MalformedMessageException("PCP " + opcode + " data truncated: " + buffer.remaining() + " of "
					+ opcode.dataLength() + " octets");
		}
		byte[] nonce = new byte[PcpMapData.NONCE_LENGTH];
		buffer.get(nonce);
		int protocol = buffer.get() & 0xff;
		buffer.position(buffer.position() + 3);
		int internalPort = buffer.getShort() & 0xffff;
		int externalPort = buffer.getShort() & 0xffff;
		InetAddress externalAddress = readAddress(buffer);
		PcpMapData map = new PcpMapData(nonce, protocol, internalPort, externalPort, externalAddress);
		if (opcode == PcpOpcode.MAP) {
			return map;
		}
		int remotePort = buffer.getShort() & 0xffff;
		buffer.position(buffer.position() + 2);
		return new PcpPeerData(map, remotePort, readAddress(buffer));
	}

	private static List<PcpOption> readOptions(ByteBuffer buffer) throws MalformedMessageException {
		List<PcpOption> options = new ArrayList<>();
		try {
			while (buffer.hasRemaining()) {
				int code = buffer.get() & 0xff;
				buffer.get();
				int length = buffer.getShort() & 0xffff;
				int padded = (length + 3) & ~3;
				if (padded > buffer.remaining()) {
					throw new MalformedMessageException(
							"PCP option " + code + " claims " + length + " octets, " + buffer.remaining() + " remain");
				}
				byte[] data = new byte[length];
				buffer.get(data);
				buffer.position(buffer.position() + padded - length);
				options.add(new PcpOption(code, data));
			}
		}
		catch (BufferUnderflowException ex) {
			throw new MalformedMessageException("PCP option header truncated");
		}
		return options;
	}

	private static InetAddress readAddress(ByteBuffer buffer) {
		byte[] bytes = new byte[16];
		buffer.get(bytes);
		try {
			// Java turns an IPv4-mapped address into an Inet4Address by itself.
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex); // cannot happen for 16 octets
		}
	}

	private static void writeBody(ByteBuffer buffer, @Nullable PcpOpcodeData data, List<PcpOption> options) {
		if (data != null) {
			PcpMapData map = data.mapPart();
			buffer.put(map.nonce()).put((byte) map.protocol()).put(new byte[3]);
			buffer.putShort((short) map.internalPort()).putShort((short) map.externalPort());
			buffer.put(addressBytes(map.externalAddress()));
			if (data instanceof PcpPeerData peer) {
				buffer.putShort((short) peer.remotePort()).putShort((short) 0);
				buffer.put(addressBytes(peer.remoteAddress()));
			}
		}
		for (PcpOption option : options) {
			buffer.put((byte) option.code()).put((byte) 0).putShort((short) option.dataLength());
			option.writeData(buffer);
			buffer.put(new byte[((option.dataLength() + 3) & ~3) - option.dataLength()]);
		}
	}

	private static int length(PcpOpcode opcode, @Nullable PcpOpcodeData data, List<PcpOption> options) {
		int length = HEADER_LENGTH + ((data != null) ? opcode.dataLength() : 0);
		for (PcpOption option : options) {
			length += 4 + ((option.dataLength() + 3) & ~3);
		}
		if (length > MAX_MESSAGE_LENGTH) {
			throw new IllegalArgumentException("PCP message would be " + length + " octets, more than 1100");
		}
		return length;
	}

	/**
	 * The 16-octet form of an address in PCP: IPv4 as an IPv4-mapped IPv6 address.
	 * @param address the address
	 * @return 16 octets
	 */
	static byte[] addressBytes(InetAddress address) {
		if (address instanceof Inet4Address) {
			byte[] bytes = new byte[16];
			System.arraycopy(IPV4_MAPPED_PREFIX, 0, bytes, 0, 12);
			System.arraycopy(address.getAddress(), 0, bytes, 12, 4);
			return bytes;
		}
		if (address instanceof Inet6Address) {
			return address.getAddress();
		}
		throw new IllegalArgumentException("not an IP address: " + address);
	}

	static void checkRange(String name, int value, int max) {
		if (value < 0 || value > max) {
			throw new IllegalArgumentException(name + " must be between 0 and " + max + ": " + value);
		}
	}

	static void checkLifetime(long seconds) {
		if (seconds < 0 || seconds > 0xffffffffL) {
			throw new IllegalArgumentException("lifetime must fit in 32 unsigned bits: " + seconds);
		}
	}

	static void checkData(PcpOpcode opcode, @Nullable PcpOpcodeData data) {
		boolean fits = switch (opcode) {
			case ANNOUNCE -> data == null;
			case MAP -> data instanceof PcpMapData;
			case PEER -> data instanceof PcpPeerData;
		};
		if (!fits) {
			throw new IllegalArgumentException(opcode + " cannot carry " + data);
		}
	}

}
