package dev.natboot.core.stun;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (RFC 8489 sections 14.5 and 14.6): an HMAC over the message
 * up to the attribute, with the header's length field counting up to and including it.
 */
final class StunIntegrity {

	/** Octets of a MESSAGE-INTEGRITY value. */
	static final int SHA1_LENGTH = 20;

	/** Octets of a whole MESSAGE-INTEGRITY-SHA256 value; a server may send 16 to 32. */
	static final int SHA256_LENGTH = 32;

	private StunIntegrity() {
	}

	/**
	 * The HMAC of a message whose attributes up to the integrity attribute are written.
	 * @param message header and attributes, with the length field not yet right
	 * @param length octets of {@code message} to sign
	 * @param valueLength octets of the integrity attribute's value, counted in the length field
	 */
	static byte[] hmac(byte[] message, int length, int valueLength, StunCredentials.Integrity integrity, byte[] key) {
		byte[] signed = Arrays.copyOf(message, length);
		ByteBuffer.wrap(signed).putShort(2, (short) (length - StunCodec.HEADER_LENGTH + 4 + valueLength));
		try {
			Mac mac = Mac.getInstance(integrity.macAlgorithm());
			mac.init(new SecretKeySpec(key, integrity.macAlgorithm()));
			return mac.doFinal(signed);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK lacks " + integrity.macAlgorithm(), ex);
		}
	}

	/**
	 * Checks the first integrity attribute of a message that decoded as STUN.
	 * @return the verdict
	 */
	static StunCodec.IntegrityCheck check(byte[] data, StunCredentials credentials) {
		ByteBuffer buffer = ByteBuffer.wrap(data);
		int position = StunCodec.HEADER_LENGTH;
		while (position + 4 <= data.length) {
			int type = buffer.getShort(position) & 0xffff;
			int length = buffer.getShort(position + 2) & 0xffff;
			if (position + 4 + length > data.length) {
				return StunCodec.IntegrityCheck.INVALID;
			}
			StunCredentials.Integrity integrity = (type == StunAttributeType.MESSAGE_INTEGRITY)
					? StunCredentials.Integrity.SHA1
					: (type == StunAttributeType.MESSAGE_INTEGRITY_SHA256) ? StunCredentials.Integrity.SHA256 : null;
			if (integrity != null) {
				if (!validLength(integrity, length)) {
					return StunCodec.IntegrityCheck.INVALID;
				}
				byte[] expected = hmac(data, position, length, integrity, credentials.key());
				byte[] received = Arrays.copyOfRange(data, position + 4, position + 4 + length);
				// Constant time: a forger learns nothing from how long a wrong guess took.
				return MessageDigest.isEqual(Arrays.copyOf(expected, length), received)
						? StunCodec.IntegrityCheck.VALID : StunCodec.IntegrityCheck.INVALID;
			}
			position += 4 + ((length + 3) & ~3);
		}
		return StunCodec.IntegrityCheck.ABSENT;
	}

	static boolean validLength(StunCredentials.Integrity integrity, int length) {
		return (integrity == StunCredentials.Integrity.SHA1) ? length == SHA1_LENGTH
				: length >= 16 && length <= SHA256_LENGTH && (length & 3) == 0;
	}

}
