package dev.natboot.core.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An attribute of a STUN message. Those this library acts on are typed; any other is carried as
 * {@link Opaque} bytes. FINGERPRINT is not an attribute here: the codec writes and checks it (see
 * {@link StunMessage#fingerprint()}).
 */
public sealed interface StunAttribute {

	/**
	 * The attribute's type in the IANA registry.
	 * @return the type, 0 to 0xffff
	 */
	int type();

	/**
	 * Whether an agent that does not know this attribute must reject the message (RFC 8489 section 14): types
	 * 0x0000 to 0x7fff.
	 * @param type an attribute type
	 * @return true for comprehension-required types
	 */
	static boolean isComprehensionRequired(int type) {
		return type < 0x8000;
	}

	/** An attribute that carries a transport address. */
	sealed interface AddressAttribute extends StunAttribute {

		InetSocketAddress address();

	}

	/** The client's address as the server saw it, obfuscated against ALGs (RFC 8489 section 14.2). */
	record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.XOR_MAPPED_ADDRESS;
		}

	}

	/** The client's address as the server saw it, in clear: what RFC 3489 servers send (section 14.1). */
	record MappedAddress(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.MAPPED_ADDRESS;
		}

	}

	/** Where the server sent the response from (RFC 5780 section 7.3). */
	record ResponseOrigin(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.RESPONSE_ORIGIN;
		}

	}

	/** The server's other address and port, for behaviour discovery (RFC 5780 section 7.4). */
	record OtherAddress(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.OTHER_ADDRESS;
		}

	}

	/** RFC 3489's name and number for what RFC 5780 calls OTHER-ADDRESS. */
	record ChangedAddress(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.CHANGED_ADDRESS;
		}

	}

	/**
	 * Asks the server to answer from its other address, other port, or both (RFC 5780 section 7.2).
	 * @param changeAddress answer from the other IP address
	 * @param changePort answer from the other port
	 */
	record ChangeRequest(boolean changeAddress, boolean changePort) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.CHANGE_REQUEST;
		}

	}

	/**
	 * Why a request failed (RFC 8489 section 14.8).
	 * @param code 300 to 699
	 * @param reason the server's words
	 */
	record ErrorCode(int code, String reason) implements StunAttribute {

		/** Try an alternate server. */
		public static final int TRY_ALTERNATE = 300;

		/** The request was malformed. */
		public static final int BAD_REQUEST = 400;

		/** Credentials missing or wrong. */
		public static final int UNAUTHORIZED = 401;

		/** Comprehension-required attributes the server does not know, listed in UNKNOWN-ATTRIBUTES. */
		public static final int UNKNOWN_ATTRIBUTE = 420;

		/** The nonce expired. */
		public static final int STALE_NONCE = 438;

		/** The server failed; try again later. */
		public static final int SERVER_ERROR = 500;

		public ErrorCode {
			if (code < 300 || code > 699) {
				throw new IllegalArgumentException("STUN error codes are between 300 and 699: " + code);
			}
		}

		@Override
		public int type() {
			return StunAttributeType.ERROR_CODE;
		}

	}

	/**
	 * The attribute types a request carried that the server does not understand (RFC 8489 section 14.9).
	 * @param types the types
	 */
	record UnknownAttributes(List<Integer> types) implements StunAttribute {

		public UnknownAttributes {
			types = List.copyOf(types);
		}

		@Override
		public int type() {
			return StunAttributeType.UNKNOWN_ATTRIBUTES;
		}

	}

	/**
	 * The software of the agent that sent the message (RFC 8489 section 14.14).
	 * @param description free text, at most 128 characters
	 */
	record Software(String description) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.SOFTWARE;
		}

	}

	/**
	 * Any other attribute, as it was on the wire (without padding).
	 * @param type its type
	 * @param value its value
	 */
	record Opaque(int type, byte[] value) implements StunAttribute {

		public Opaque {
			value = value.clone();
		}

		@Override
		public byte[] value() {
			return this.value.clone();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Opaque opaque && opaque.type == this.type && Arrays.equals(opaque.value, this.value);
		}

		@Override
		public int hashCode() {
			return 31 * this.type + Arrays.hashCode(this.value);
		}

		@Override
		public String toString() {
			String name = StunAttributeType.name(this.type);
			boolean text = this.type == StunAttributeType.REALM || this.type == StunAttributeType.NONCE
					|| this.type == StunAttributeType.USERNAME;
			return name + "[" + (text ? new String(this.value, StandardCharsets.UTF_8)
					: HexFormat.of().formatHex(this.value, 0, Math.min(this.value.length, 32))) + "]";
		}

	}

}
