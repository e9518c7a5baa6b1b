package dev.natboot.core.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * Values of the credential, TURN and ICE attributes (RFC 8489 section 14, RFC 8656 section 18, RFC 6062 section
 * 6.2, RFC 8445 section 16.1), each checked for its exact size on the way in.
 */
final class StunTurnValues {

	/** USERNAME is at most 513 octets (RFC 8489 section 14.3). */
	static final int MAX_USERNAME_LENGTH = 513;

	/** Most password algorithms accepted in one PASSWORD-ALGORITHMS. */
	static final int MAX_PASSWORD_ALGORITHMS = 16;

	/** Most octets of DATA: a datagram relayed over UDP cannot carry more. */
	static final int MAX_DATA_LENGTH = 0xffff;

	private StunTurnValues() {
	}

	/** The value of a credential or TURN attribute; {@code null} for other attributes. */
	static byte @Nullable [] encode(StunAttribute attribute) {
		if (attribute instanceof StunAttribute.Username username) {
			return StunCodec.text(username.name(), MAX_USERNAME_LENGTH);
		}
		if (attribute instanceof StunAttribute.Realm realm) {
			return StunCodec.text(realm.realm());
		}
		if (attribute instanceof StunAttribute.Nonce nonce) {
			return StunCodec.text(nonce.nonce());
		}
		if (attribute instanceof StunAttribute.MessageIntegrity integrity) {
			return integrity.hmac();
		}
		if (attribute instanceof StunAttribute.MessageIntegritySha256 integrity) {
			return integrity.hmac();
		}
		if (attribute instanceof StunAttribute.Lifetime lifetime) {
			return ByteBuffer.allocate(4).putInt((int) lifetime.seconds()).array();
		}
		if (attribute instanceof StunAttribute.Data data) {
			return data.data();
		}
		if (attribute instanceof StunAttribute.RequestedTransport transport) {
			return new byte[] { (byte) transport.protocol(), 0, 0, 0 };
		}
		if (attribute instanceof StunAttribute.RequestedAddressFamily family) {
			return new byte[] { (byte) family.family(), 0, 0, 0 };
		}
		if (attribute instanceof StunAttribute.ChannelNumber channel) {
			return ByteBuffer.allocate(4).putShort((short) channel.number()).array();
		}
		if (attribute instanceof StunAttribute.ConnectionId connection) {
			return ByteBuffer.allocate(4).putInt(connection.id()).array();
		}
		if (attribute instanceof StunAttribute.PasswordAlgorithm algorithm) {
			return ByteBuffer.allocate(4).putShort((short) algorithm.algorithm()).array();
		}
		if (attribute instanceof StunAttribute.Priority priority) {
			return ByteBuffer.allocate(4).putInt((int) priority.priority()).array();
		}
		if (attribute instanceof StunAttribute.UseCandidate) {
			return new byte[0];
		}
		if (attribute instanceof StunAttribute.IceControlling controlling) {
			return ByteBuffer.allocate(8).putLong(controlling.tieBreaker()).array();
		}
		if (attribute instanceof StunAttribute.IceControlled controlled) {
			return ByteBuffer.allocate(8).putLong(controlled.tieBreaker()).array();
		}
		if (attribute instanceof StunAttribute.PasswordAlgorithms algorithms) {
			ByteBuffer buffer = ByteBuffer.allocate(4 * algorithms.algorithms().size());
			algorithms.algorithms().forEach((algorithm) -> buffer.putShort((short) algorithm.algorithm()).putShort((short) 0));
			return buffer.array();
		}
		return null;
	}

	/** A credential or TURN attribute, or an {@link StunAttribute.Opaque} one for any other type. */
	static StunAttribute decode(int type, byte[] value) throws MalformedMessageException {
		return switch (type) {
			case StunAttributeType.MESSAGE_INTEGRITY -> {
				requireLength("MESSAGE-INTEGRITY", value, StunIntegrity.validLength(StunCredentials.Integrity.SHA1, value.length));
				yield new StunAttribute.MessageIntegrity(value);
			}
			case StunAttributeType.MESSAGE_INTEGRITY_SHA256 -> {
				requireLength("MESSAGE-INTEGRITY-SHA256", value,
						StunIntegrity.validLength(StunCredentials.Integrity.SHA256, value.length));
				yield new StunAttribute.MessageIntegritySha256(value);
			}
			case StunAttributeType.LIFETIME -> {
				requireLength("LIFETIME", value, value.length == 4);
				yield new StunAttribute.Lifetime(ByteBuffer.wrap(value).getInt() & 0xffffffffL);
			}
			case StunAttributeType.DATA -> new StunAttribute.Data(value);
			case StunAttributeType.REQUESTED_TRANSPORT -> {
				requireLength("REQUESTED-TRANSPORT", value, value.length == 4);
				yield new StunAttribute.RequestedTransport(value[0] & 0xff);
			}
			case StunAttributeType.REQUESTED_ADDRESS_FAMILY -> {
				requireLength("REQUESTED-ADDRESS-FAMILY", value, value.length == 4);
				yield new StunAttribute.RequestedAddressFamily(value[0] & 0xff);
			}
			case StunAttributeType.CHANNEL_NUMBER -> {
				requireLength("CHANNEL-NUMBER", value, value.length == 4);
				int number = ByteBuffer.wrap(value).getShort() & 0xffff;
				if (number < StunAttribute.ChannelNumber.MIN || number > StunAttribute.ChannelNumber.MAX) {
					throw new MalformedMessageException(String.format("CHANNEL-NUMBER 0x%04x out of range", number));
				}
				yield new StunAttribute.ChannelNumber(number);
			}
			case StunAttributeType.CONNECTION_ID -> {
				requireLength("CONNECTION-ID", value, value.length == 4);
				yield new StunAttribute.ConnectionId(ByteBuffer.wrap(value).getInt());
			}
			case StunAttributeType.PASSWORD_ALGORITHM -> {
				requireLength("PASSWORD-ALGORITHM", value, value.length >= 4);
				yield new StunAttribute.PasswordAlgorithm(algorithms(value).get(0).algorithm());
			}
			case StunAttributeType.PASSWORD_ALGORITHMS -> new StunAttribute.PasswordAlgorithms(algorithms(value));
			case StunAttributeType.PRIORITY -> {
				requireLength("PRIORITY", value, value.length == 4);
				long priority = ByteBuffer.wrap(value).getInt() & 0xffffffffL;
				if (priority == 0) {
					throw new MalformedMessageException("PRIORITY 0");
				}
				yield new StunAttribute.Priority(priority);
			}
			case StunAttributeType.USE_CANDIDATE -> {
				requireLength("USE-CANDIDATE", value, value.length == 0);
				yield new StunAttribute.UseCandidate();
			}
			case StunAttributeType.ICE_CONTROLLING -> {
				requireLength("ICE-CONTROLLING", value, value.length == 8);
				yield new StunAttribute.IceControlling(ByteBuffer.wrap(value).getLong());
			}
			case StunAttributeType.ICE_CONTROLLED -> {
				requireLength("ICE-CONTROLLED", value, value.length == 8);
				yield new StunAttribute.IceControlled(ByteBuffer.wrap(value).getLong());
			}
			default -> new StunAttribute.Opaque(type, value);
		};
	}

	/** Algorithm, parameters' length, parameters padded to 4 octets; repeated. */
	private static List<StunAttribute.PasswordAlgorithm> algorithms(byte[] value) throws MalformedMessageException {
		List<StunAttribute.PasswordAlgorithm> algorithms = new ArrayList<>();
		ByteBuffer buffer = ByteBuffer.wrap(value);
		while (buffer.hasRemaining()) {
			if (buffer.remaining() < 4 || algorithms.size() == MAX_PASSWORD_ALGORITHMS) {
				throw new MalformedMessageException("Bad PASSWORD-ALGORITHMS of " + value.length + " octets");
			}
			int algorithm = buffer.getShort() & 0xffff;
			int parameters = ((buffer.getShort() & 0xffff) + 3) & ~3;
			if (parameters > buffer.remaining()) {
				throw new MalformedMessageException("PASSWORD-ALGORITHMS parameters overrun the attribute");
			}
			buffer.position(buffer.position() + parameters);
			algorithms.add(new StunAttribute.PasswordAlgorithm(algorithm));
		}
		if (algorithms.isEmpty()) {
			throw new MalformedMessageException("Empty PASSWORD-ALGORITHMS");
		}
		return algorithms;
	}

	private static void requireLength(String name, byte[] value, boolean valid) throws MalformedMessageException {
		if (!valid) {
			throw new MalformedMessageException(name + " of " + value.length + " octets");
		}
	}

}
