package dev.natboot.core.stun;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes STUN messages (RFC 8489 sections 5, 14 and 15; RFC 5780 section 7). Decoding treats every
 * message as hostile: any deviation from the wire format is a {@link MalformedMessageException}, never another
 * exception, and sizes are bounded.
 */
public final class StunCodec {

	/** The magic cookie every RFC 5389 and later message carries. */
	public static final int MAGIC_COOKIE = 0x2112a442;

	/** Octets of the header. */
	public static final int HEADER_LENGTH = 20;

	/** Largest message accepted: a Binding response is about 100 octets. */
	public static final int MAX_MESSAGE_LENGTH = 4096;

	/** Most attributes accepted in one message. */
	public static final int MAX_ATTRIBUTES = 64;

	/** Longest SOFTWARE or error reason, in octets (RFC 8489: fewer than 128 characters, at most 763 octets). */
	public static final int MAX_TEXT_LENGTH = 763;

	private static final int FINGERPRINT_XOR = 0x5354554e;

	private static final int FAMILY_IPV4 = 0x01;

	private static final int FAMILY_IPV6 = 0x02;

	private static final int CHANGE_ADDRESS_FLAG = 0x04;

	private static final int CHANGE_PORT_FLAG = 0x02;

	private StunCodec() {
	}

	/** What {@link #checkIntegrity(byte[], StunCredentials)} found. */
	public enum IntegrityCheck {

		/** The message carries an integrity attribute, and it is right for these credentials. */
		VALID,

		/** The integrity attribute is wrong: another key, or the message was changed. */
		INVALID,

		/** The message carries no integrity attribute. */
		ABSENT

	}

	/**
	 * Encodes a message as it is, integrity attributes included as given; a FINGERPRINT is appended when
	 * {@link StunMessage#fingerprint()} says so.
	 * @param message the message
	 * @return the octets
	 * @throws IllegalArgumentException if an attribute cannot be encoded (text too long)
	 */
	public static byte[] encode(StunMessage message) {
		return encode(message, null);
	}

	/**
	 * Encodes and signs a message: its attributes (any integrity attribute among them replaced), then
	 * MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 computed with the credentials' key, then the FINGERPRINT if
	 * {@link StunMessage#fingerprint()} says so (RFC 8489 sections 14.5, 14.6 and 14.7).
	 * @param message the message; USERNAME, REALM and NONCE are the caller's to include
	 * @param credentials the key, {@code null} to encode the message as it is
	 * @return the octets
	 * @throws IllegalArgumentException if an attribute cannot be encoded (text too long)
	 */
	public static byte[] encode(StunMessage message, @Nullable StunCredentials credentials) {
		ByteArrayOutputStream body = new ByteArrayOutputStream(128);
		for (StunAttribute attribute : message.attributes()) {
			if (credentials != null && (attribute instanceof StunAttribute.MessageIntegrity
					|| attribute instanceof StunAttribute.MessageIntegritySha256)) {
				continue; // computed below
			}
			byte[] value = encodeValue(attribute, message.transactionId());
			writeAttribute(body, attribute.type(), value);
		}
		int integrityLength = (credentials == null) ? 0
				: (credentials.integrity() == StunCredentials.Integrity.SHA1) ? StunIntegrity.SHA1_LENGTH
						: StunIntegrity.SHA256_LENGTH;
		int bodyLength = body.size() + ((credentials != null) ? 4 + integrityLength : 0)
				+ (message.fingerprint() ? 8 : 0);
		ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + bodyLength);
		buffer.putShort((short) messageType(message.messageClass(), message.method()))
			.putShort((short) bodyLength)
			.putInt(MAGIC_COOKIE)
			.put(message.transactionId())
			.put(body.toByteArray());
		if (credentials != null) {
			byte[] hmac = StunIntegrity.hmac(buffer.array(), buffer.position(), integrityLength,
					credentials.integrity(), credentials.key());
			buffer.putShort((short) ((credentials.integrity() == StunCredentials.Integrity.SHA1)
					? StunAttributeType.MESSAGE_INTEGRITY : StunAttributeType.MESSAGE_INTEGRITY_SHA256))
				.putShort((short) integrityLength)
				.put(hmac, 0, integrityLength);
		}
		if (message.fingerprint()) {
			int crc = crc(buffer.array(), buffer.position());
			buffer.putShort((short) StunAttributeType.FINGERPRINT).putShort((short) 4).putInt(crc ^ FINGERPRINT_XOR);
		}
		return buffer.array();
	}

	/**
	 * Checks the integrity of a received message with the credentials the answer should be signed with. Call it
	 * on the octets that {@link #decode(byte[])} accepted; as the RFC says, only the first integrity attribute
	 * counts.
	 * @param data the message as received
	 * @param credentials the key
	 * @return whether the first integrity attribute is right, wrong, or absent
	 */
	public static IntegrityCheck checkIntegrity(byte[] data, StunCredentials credentials) {
		if (data.length < HEADER_LENGTH || data.length > MAX_MESSAGE_LENGTH) {
			return IntegrityCheck.INVALID;
		}
		return StunIntegrity.check(data, credentials);
	}

	/**
	 * Whether a datagram looks like a STUN message (RFC 8489 section 6.3: zero top bits, the magic cookie, a
	 * length that fits), for telling STUN apart from other traffic on one socket.
	 * @param data a datagram
	 * @return true if it may be STUN
	 */
	public static boolean looksLikeStun(byte[] data) {
		if (data.length < HEADER_LENGTH || (data[0] & 0xc0) != 0) {
			return false;
		}
		ByteBuffer buffer = ByteBuffer.wrap(data);
		int length = buffer.getShort(2) & 0xffff;
		return buffer.getInt(4) == MAGIC_COOKIE && (length & 3) == 0 && length == data.length - HEADER_LENGTH;
	}

	/**
	 * The length of the whole message a header announces, for reading STUN from a stream (RFC 8489 section 6.2.2).
	 * @param header at least the 20 octets of a header
	 * @return header plus body length
	 * @throws MalformedMessageException if the header is not a STUN header or announces too long a message
	 */
	public static int messageLength(byte[] header) throws MalformedMessageException {
		if (header.length < HEADER_LENGTH) {
			throw new MalformedMessageException("A STUN header has 20 octets, not " + header.length);
		}
		ByteBuffer buffer = ByteBuffer.wrap(header);
		if ((header[0] & 0xc0) != 0 || buffer.getInt(4) != MAGIC_COOKIE) {
			throw new MalformedMessageException("Not a STUN message (top bits or magic cookie)");
		}
		int length = buffer.getShort(2) & 0xffff;
		if ((length & 3) != 0 || HEADER_LENGTH + length > MAX_MESSAGE_LENGTH) {
			throw new MalformedMessageException("Bad STUN message length " + length);
		}
		return HEADER_LENGTH + length;
	}

	/**
	 * Decodes a message.
	 * @param data exactly one message
	 * @return the message
	 * @throws MalformedMessageException if it is not a valid STUN message, or its FINGERPRINT is wrong
	 */
	public static StunMessage decode(byte[] data) throws MalformedMessageException {
		if (data.length > MAX_MESSAGE_LENGTH) {
			throw new MalformedMessageException("STUN message of " + data.length + " octets is too long");
		}
		if (messageLength(data) != data.length) {
			throw new MalformedMessageException("STUN length field says " + (messageLength(data) - HEADER_LENGTH)
					+ " octets, " + (data.length - HEADER_LENGTH) + " follow the header");
		}
		ByteBuffer buffer = ByteBuffer.wrap(data);
		int type = buffer.getShort() & 0xffff;
		buffer.position(8);
		byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
		buffer.get(transactionId);
		StunMethod method = StunMethod.of(((type & 0x3e00) >> 2) | ((type & 0x00e0) >> 1) | (type & 0x000f));
		if (method == null) {
			throw new MalformedMessageException(String.format("Unknown STUN method in type 0x%04x", type));
		}
		StunMessageClass messageClass = StunMessageClass.ofBits(((type >> 7) & 0b10) | ((type >> 4) & 0b01));
		List<StunAttribute> attributes = new ArrayList<>();
		List<Integer> unknown = new ArrayList<>();
		boolean fingerprint = false;
		boolean integrity = false;
		int count = 0;
		while (buffer.hasRemaining()) {
			if (fingerprint) {
				throw new MalformedMessageException("Attribute after FINGERPRINT");
			}
			if (++count > MAX_ATTRIBUTES) {
				throw new MalformedMessageException("More than " + MAX_ATTRIBUTES + " STUN attributes");
			}
			int start = buffer.position();
			if (buffer.remaining() < 4) {
				throw new MalformedMessageException("Truncated STUN attribute header");
			}
			int attributeType = buffer.getShort() & 0xffff;
			int length = buffer.getShort() & 0xffff;
			int padded = (length + 3) & ~3;
			if (padded > buffer.remaining()) {
				throw new MalformedMessageException("STUN attribute " + StunAttributeType.name(attributeType)
						+ " of " + length + " octets overruns the message");
			}
			byte[] value = new byte[length];
			buffer.get(value);
			buffer.position(buffer.position() + padded - length);
			if (attributeType == StunAttributeType.FINGERPRINT) {
				checkFingerprint(data, start, value);
				fingerprint = true;
				continue;
			}
			if (integrity && attributeType != StunAttributeType.MESSAGE_INTEGRITY_SHA256) {
				// RFC 8489 section 14: only the integrity attributes and FINGERPRINT count after an integrity.
				continue;
			}
			if (attributeType == StunAttributeType.MESSAGE_INTEGRITY
					|| attributeType == StunAttributeType.MESSAGE_INTEGRITY_SHA256) {
				integrity = true;
			}
			if (StunAttribute.isComprehensionRequired(attributeType) && !StunAttributeType.isKnown(attributeType)) {
				unknown.add(attributeType);
			}
			attributes.add(decodeValue(attributeType, value, transactionId));
		}
		return new StunMessage(messageClass, method, transactionId, attributes, fingerprint, unknown);
	}

	private static void checkFingerprint(byte[] data, int offset, byte[] value) throws MalformedMessageException {
		if (value.length != 4) {
			throw new MalformedMessageException("FINGERPRINT of " + value.length + " octets");
		}
		int expected = crc(data, offset) ^ FINGERPRINT_XOR;
		if (ByteBuffer.wrap(value).getInt() != expected) {
			throw new MalformedMessageException("Wrong FINGERPRINT: not a STUN message, or damaged");
		}
	}

	private static int crc(byte[] data, int length) {
		CRC32 crc = new CRC32();
		crc.update(data, 0, length);
		return (int) crc.getValue();
	}

	private static int messageType(StunMessageClass messageClass, StunMethod method) {
		int code = method.code();
		int bits = messageClass.bits();
		return ((code & 0x0f80) << 2) | ((code & 0x0070) << 1) | (code & 0x000f) | ((bits & 0b10) << 7)
				| ((bits & 0b01) << 4);
	}

	private static void writeAttribute(ByteArrayOutputStream out, int type, byte[] value) {
		if (value.length > 0xffff) {
			throw new IllegalArgumentException("STUN attribute too long: " + value.length);
		}
		out.write(type >> 8);
		out.write(type);
		out.write(value.length >> 8);
		out.write(value.length);
		out.writeBytes(value);
		for (int pad = value.length; (pad & 3) != 0; pad++) {
			out.write(0);
		}
	}

	private static byte[] encodeValue(StunAttribute attribute, byte[] transactionId) {
		if (attribute instanceof StunAttribute.AddressAttribute address) {
			return encodeAddress(address.address(), isXor(attribute.type()), transactionId);
		}
		if (attribute instanceof StunAttribute.ChangeRequest change) {
			return ByteBuffer.allocate(4)
				.putInt((change.changeAddress() ? CHANGE_ADDRESS_FLAG : 0) | (change.changePort() ? CHANGE_PORT_FLAG : 0))
				.array();
		}
		if (attribute instanceof StunAttribute.ErrorCode error) {
			byte[] reason = text(error.reason());
			return ByteBuffer.allocate(4 + reason.length)
				.putShort((short) 0)
				.put((byte) (error.code() / 100))
				.put((byte) (error.code() % 100))
				.put(reason)
				.array();
		}
		if (attribute instanceof StunAttribute.UnknownAttributes list) {
			ByteBuffer buffer = ByteBuffer.allocate(2 * list.types().size());
			list.types().forEach((type) -> buffer.putShort(type.shortValue()));
			return buffer.array();
		}
		if (attribute instanceof StunAttribute.Software software) {
			return text(software.description());
		}
		byte[] turn = StunTurnValues.encode(attribute);
		if (turn != null) {
			return turn;
		}
		return ((StunAttribute.Opaque) attribute).value();
	}

	static byte[] text(String text) {
		return text(text, MAX_TEXT_LENGTH);
	}

	static byte[] text(String text, int maxLength) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > maxLength) {
			throw new IllegalArgumentException("STUN text longer than " + maxLength + " octets");
		}
		return bytes;
	}

	private static boolean isXor(int type) {
		return type == StunAttributeType.XOR_MAPPED_ADDRESS || type == StunAttributeType.XOR_PEER_ADDRESS
				|| type == StunAttributeType.XOR_RELAYED_ADDRESS;
	}

	private static byte[] encodeAddress(InetSocketAddress address, boolean xor, byte[] transactionId) {
		InetAddress ip = address.getAddress();
		if (ip == null) {
			throw new IllegalArgumentException("Unresolved address " + address);
		}
		byte[] bytes = ip.getAddress();
		int port = address.getPort();
		if (xor) {
			port ^= MAGIC_COOKIE >>> 16;
			xorAddress(bytes, transactionId);
		}
		return ByteBuffer.allocate(4 + bytes.length)
			.put((byte) 0)
			.put((byte) ((ip instanceof Inet4Address) ? FAMILY_IPV4 : FAMILY_IPV6))
			.putShort((short) port)
			.put(bytes)
			.array();
	}

	/** XORs an address with the magic cookie, then (IPv6) the transaction id: its own inverse. */
	private static void xorAddress(byte[] address, byte[] transactionId) {
		byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
		for (int i = 0; i < address.length; i++) {
			address[i] ^= key[i];
		}
	}

	private static StunAttribute decodeValue(int type, byte[] value, byte[] transactionId)
			throws MalformedMessageException {
		return switch (type) {
			case StunAttributeType.XOR_MAPPED_ADDRESS ->
				new StunAttribute.XorMappedAddress(decodeAddress(type, value, true, transactionId));
			case StunAttributeType.MAPPED_ADDRESS ->
				new StunAttribute.MappedAddress(decodeAddress(type, value, false, transactionId));
			case StunAttributeType.RESPONSE_ORIGIN ->
				new StunAttribute.ResponseOrigin(decodeAddress(type, value, false, transactionId));
			case StunAttributeType.OTHER_ADDRESS ->
				new StunAttribute.OtherAddress(decodeAddress(type, value, false, transactionId));
			case StunAttributeType.CHANGED_ADDRESS ->
				new StunAttribute.ChangedAddress(decodeAddress(type, value, false, transactionId));
			case StunAttributeType.CHANGE_REQUEST -> {
				if (value.length != 4) {
					throw new MalformedMessageException("CHANGE-REQUEST of " + value.length + " octets");
				}
				int flags = ByteBuffer.wrap(value).getInt();
				yield new StunAttribute.ChangeRequest((flags & CHANGE_ADDRESS_FLAG) != 0, (flags & CHANGE_PORT_FLAG) != 0);
			}
			case StunAttributeType.ERROR_CODE -> decodeErrorCode(value);
			case StunAttributeType.UNKNOWN_ATTRIBUTES -> {
				if ((value.length & 1) != 0) {
					throw new MalformedMessageException("UNKNOWN-ATTRIBUTES of odd length " + value.length);
				}
				List<Integer> types = new ArrayList<>();
				ByteBuffer buffer = ByteBuffer.wrap(value);
				while (buffer.hasRemaining()) {
					types.add(buffer.getShort() & 0xffff);
				}
				yield new StunAttribute.UnknownAttributes(types);
			}
			case StunAttributeType.SOFTWARE -> new StunAttribute.Software(decodeText("SOFTWARE", value));
			case StunAttributeType.XOR_PEER_ADDRESS ->
				new StunAttribute.XorPeerAddress(decodeAddress(type, value, true, transactionId));
			case StunAttributeType.XOR_RELAYED_ADDRESS ->
				new StunAttribute.XorRelayedAddress(decodeAddress(type, value, true, transactionId));
			case StunAttributeType.USERNAME -> new StunAttribute.Username(decodeText("USERNAME", value,
					StunTurnValues.MAX_USERNAME_LENGTH));
			case StunAttributeType.REALM -> new StunAttribute.Realm(decodeText("REALM", value));
			case StunAttributeType.NONCE -> new StunAttribute.Nonce(decodeText("NONCE", value));
			default -> StunTurnValues.decode(type, value);
		};
	}

	private static StunAttribute.ErrorCode decodeErrorCode(byte[] value) throws MalformedMessageException {
		if (value.length < 4) {
			throw new MalformedMessageException("ERROR-CODE of " + value.length + " octets");
		}
		int errorClass = value[2] & 0x07;
		int number = value[3] & 0xff;
		if (errorClass < 3 || errorClass > 6 || number > 99) {
			throw new MalformedMessageException("ERROR-CODE class " + errorClass + " number " + number);
		}
		byte[] reason = new byte[value.length - 4];
		System.arraycopy(value, 4, reason, 0, reason.length);
		return new StunAttribute.ErrorCode(errorClass * 100 + number, decodeText("ERROR-CODE reason", reason));
	}

	static String decodeText(String what, byte[] value) throws MalformedMessageException {
		return decodeText(what, value, MAX_TEXT_LENGTH);
	}

	static String decodeText(String what, byte[] value, int maxLength) throws MalformedMessageException {
		if (value.length > maxLength) {
			throw new MalformedMessageException(what + " of " + value.length + " octets");
		}
		// coturn and stund count NUL padding into reason phrases and SOFTWARE: not part of the text.
		int length = value.length;
		while (length > 0 && value[length - 1] == 0) {
			length--;
		}
		return new String(value, 0, length, StandardCharsets.UTF_8);
	}

	private static boolean isIpv4Mapped(byte[] address) {
		for (int i = 0; i < 10; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
	}

	private static InetSocketAddress decodeAddress(int type, byte[] value, boolean xor, byte[] transactionId)
			throws MalformedMessageException {
		if (value.length < 4) {
			throw new MalformedMessageException(StunAttributeType.name(type) + " of " + value.length + " octets");
		}
		int family = value[1] & 0xff;
		int expected = (family == FAMILY_IPV4) ? 8 : (family == FAMILY_IPV6) ? 20 : -1;
		if (expected < 0 || value.length != expected) {
			throw new MalformedMessageException(StunAttributeType.name(type) + " with family " + family + " and "
					+ value.length + " octets");
		}
		int port = ((value[2] & 0xff) << 8) | (value[3] & 0xff);
		byte[] address = new byte[expected - 4];
		System.arraycopy(value, 4, address, 0, address.length);
		if (xor) {
			port ^= MAGIC_COOKIE >>> 16;
			xorAddress(address, transactionId);
		}
		try {
			// A server on a dual-stack socket sees an IPv4 client as ::ffff:a.b.c.d and may report it so: that is
			// the IPv4 address, and must compare equal to the router's.
			InetAddress ip = (family == FAMILY_IPV4) ? Inet4Address.getByAddress(address)
					: isIpv4Mapped(address) ? Inet4Address.getByAddress(Arrays.copyOfRange(address, 12, 16))
							: Inet6Address.getByAddress(null, address, null);
			return new InetSocketAddress(ip, port);
		}
		catch (UnknownHostException ex) {
			throw new MalformedMessageException("Bad address in " + StunAttributeType.name(type));
		}
	}

}
