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
	 * Who is asking, for the short-term and long-term credential mechanisms (RFC 8489 section 14.3).
	 * @param name the user name, at most 513 octets of UTF-8
	 */
	record Username(String name) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.USERNAME;
		}

	}

	/**
	 * The server's realm for long-term credentials (RFC 8489 section 14.9).
	 * @param realm the realm, fewer than 128 characters
	 */
	record Realm(String realm) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.REALM;
		}

	}

	/**
	 * The server's nonce, sent back with each authenticated request (RFC 8489 section 14.10). It may start with
	 * the "security feature" cookie {@code obMatJos2} and the features the server offers (section 9.2).
	 * @param nonce the nonce, fewer than 128 characters
	 */
	record Nonce(String nonce) implements StunAttribute {

		/** Prefix of a nonce that carries security feature bits (RFC 8489 section 9.2). */
		public static final String FEATURE_COOKIE = "obMatJos2";

		@Override
		public int type() {
			return StunAttributeType.NONCE;
		}

	}

	/**
	 * HMAC-SHA1 of the message up to this attribute, as the sender wrote it (RFC 8489 section 14.5). The codec
	 * computes it when it encodes with credentials ({@link StunCodec#encode(StunMessage, StunCredentials)}) and
	 * checks it on request ({@link StunCodec#checkIntegrity(byte[], StunCredentials)}).
	 * @param hmac 20 octets
	 */
	record MessageIntegrity(byte[] hmac) implements StunAttribute {

		public MessageIntegrity {
			hmac = hmac.clone();
		}

		@Override
		public byte[] hmac() {
			return this.hmac.clone();
		}

		@Override
		public int type() {
			return StunAttributeType.MESSAGE_INTEGRITY;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof MessageIntegrity integrity && Arrays.equals(integrity.hmac, this.hmac);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.hmac);
		}

		@Override
		public String toString() {
			return "MESSAGE-INTEGRITY[" + HexFormat.of().formatHex(this.hmac) + "]";
		}

	}

	/**
	 * HMAC-SHA256 of the message up to this attribute, possibly truncated to 16 to 32 octets (RFC 8489 section
	 * 14.6).
	 * @param hmac 16 to 32 octets, a multiple of 4
	 */
	record MessageIntegritySha256(byte[] hmac) implements StunAttribute {

		public MessageIntegritySha256 {
			hmac = hmac.clone();
		}

		@Override
		public byte[] hmac() {
			return this.hmac.clone();
		}

		@Override
		public int type() {
			return StunAttributeType.MESSAGE_INTEGRITY_SHA256;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof MessageIntegritySha256 integrity && Arrays.equals(integrity.hmac, this.hmac);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.hmac);
		}

		@Override
		public String toString() {
			return "MESSAGE-INTEGRITY-SHA256[" + HexFormat.of().formatHex(this.hmac) + "]";
		}

	}

	/**
	 * The password algorithms a server offers, in its order of preference (RFC 8489 section 14.11).
	 * @param algorithms the algorithms
	 */
	record PasswordAlgorithms(List<PasswordAlgorithm> algorithms) implements StunAttribute {

		public PasswordAlgorithms {
			algorithms = List.copyOf(algorithms);
		}

		@Override
		public int type() {
			return StunAttributeType.PASSWORD_ALGORITHMS;
		}

	}

	/**
	 * The password algorithm a client chose from the server's list (RFC 8489 section 14.12), without
	 * parameters (neither MD5 nor SHA-256 has any).
	 * @param algorithm 1 for MD5, 2 for SHA-256 (the IANA registry)
	 */
	record PasswordAlgorithm(int algorithm) implements StunAttribute {

		/** The key is MD5(username:realm:password), as in RFC 5389. */
		public static final int MD5 = 0x0001;

		/** The key is SHA-256(username:realm:password). */
		public static final int SHA256 = 0x0002;

		@Override
		public int type() {
			return StunAttributeType.PASSWORD_ALGORITHM;
		}

	}

	/**
	 * The lifetime of a TURN allocation, asked for or granted (RFC 8656 section 18.2).
	 * @param seconds 0 to 2^32-1; 0 in a Refresh deletes the allocation
	 */
	record Lifetime(long seconds) implements StunAttribute {

		public Lifetime {
			if (seconds < 0 || seconds > 0xffffffffL) {
				throw new IllegalArgumentException("A lifetime is 0 to 2^32-1 seconds: " + seconds);
			}
		}

		@Override
		public int type() {
			return StunAttributeType.LIFETIME;
		}

	}

	/** A TURN peer's address, as the relay sees it (RFC 8656 section 18.3). */
	record XorPeerAddress(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.XOR_PEER_ADDRESS;
		}

	}

	/** The address the TURN server relays from, granted to an allocation (RFC 8656 section 18.5). */
	record XorRelayedAddress(InetSocketAddress address) implements AddressAttribute {

		@Override
		public int type() {
			return StunAttributeType.XOR_RELAYED_ADDRESS;
		}

	}

	/**
	 * Application data in a TURN Send or Data indication (RFC 8656 section 18.4).
	 * @param data the octets
	 */
	record Data(byte[] data) implements StunAttribute {

		public Data {
			data = data.clone();
		}

		@Override
		public byte[] data() {
			return this.data.clone();
		}

		@Override
		public int type() {
			return StunAttributeType.DATA;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Data that && Arrays.equals(that.data, this.data);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.data);
		}

		@Override
		public String toString() {
			return "DATA[" + this.data.length + " octets]";
		}

	}

	/**
	 * The transport of the relayed address a client asks for (RFC 8656 section 18.7, RFC 6062 section 6.1).
	 * @param protocol the IANA protocol number: 17 for UDP, 6 for TCP
	 */
	record RequestedTransport(int protocol) implements StunAttribute {

		/** UDP. */
		public static final int UDP = 17;

		/** TCP (RFC 6062). */
		public static final int TCP = 6;

		public RequestedTransport {
			if (protocol < 0 || protocol > 0xff) {
				throw new IllegalArgumentException("A protocol number is one octet: " + protocol);
			}
		}

		@Override
		public int type() {
			return StunAttributeType.REQUESTED_TRANSPORT;
		}

	}

	/**
	 * The address family of the relayed address a client asks for (RFC 8656 section 18.9); without it a server
	 * relays on IPv4.
	 * @param family {@link #IPV4} or {@link #IPV6}
	 */
	record RequestedAddressFamily(int family) implements StunAttribute {

		/** IPv4. */
		public static final int IPV4 = 0x01;

		/** IPv6. */
		public static final int IPV6 = 0x02;

		public RequestedAddressFamily {
			if (family < 0 || family > 0xff) {
				throw new IllegalArgumentException("An address family is one octet: " + family);
			}
		}

		/**
		 * The attribute asking for a family.
		 * @param family INET or INET6
		 * @return the attribute
		 */
		public static RequestedAddressFamily of(java.net.StandardProtocolFamily family) {
			return switch (family) {
				case INET -> new RequestedAddressFamily(IPV4);
				case INET6 -> new RequestedAddressFamily(IPV6);
				default -> throw new IllegalArgumentException("No IP address family: " + family);
			};
		}

		@Override
		public int type() {
			return StunAttributeType.REQUESTED_ADDRESS_FAMILY;
		}

	}

	/**
	 * A TURN channel number (RFC 8656 section 18.1).
	 * @param number 0x4000 to 0x4fff
	 */
	record ChannelNumber(int number) implements StunAttribute {

		/** The lowest channel number. */
		public static final int MIN = 0x4000;

		/** The highest channel number. */
		public static final int MAX = 0x4fff;

		public ChannelNumber {
			if (number < MIN || number > MAX) {
				throw new IllegalArgumentException(String.format("TURN channels are 0x4000 to 0x4fff: 0x%x", number));
			}
		}

		@Override
		public int type() {
			return StunAttributeType.CHANNEL_NUMBER;
		}

	}

	/**
	 * Names a TCP connection between a TURN server and a peer (RFC 6062 section 6.2.1).
	 * @param id 32 bits, as the server chose them
	 */
	record ConnectionId(int id) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.CONNECTION_ID;
		}

	}

	/**
	 * The priority a peer-reflexive candidate learnt from this check would have (RFC 8445 section 7.1.1).
	 * @param priority 1 to 2^32-1
	 */
	record Priority(long priority) implements StunAttribute {

		public Priority {
			if (priority < 1 || priority > 0xffffffffL) {
				throw new IllegalArgumentException("An ICE priority is 1 to 2^32-1: " + priority);
			}
		}

		@Override
		public int type() {
			return StunAttributeType.PRIORITY;
		}

	}

	/** The controlling agent nominates the pair this check is on (RFC 8445 section 7.1.2). */
	record UseCandidate() implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.USE_CANDIDATE;
		}

	}

	/**
	 * The sender believes it is the controlling agent (RFC 8445 section 7.1.3).
	 * @param tieBreaker its random 64-bit number, compared in a role conflict
	 */
	record IceControlling(long tieBreaker) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.ICE_CONTROLLING;
		}

	}

	/**
	 * The sender believes it is the controlled agent (RFC 8445 section 7.1.3).
	 * @param tieBreaker its random 64-bit number, compared in a role conflict
	 */
	record IceControlled(long tieBreaker) implements StunAttribute {

		@Override
		public int type() {
			return StunAttributeType.ICE_CONTROLLED;
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
