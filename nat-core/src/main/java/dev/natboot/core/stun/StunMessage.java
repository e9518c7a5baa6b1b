package dev.natboot.core.stun;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A STUN message (RFC 8489 section 5).
 *
 * @param messageClass request, indication, success or error response
 * @param method the method, for example {@link StunMethod#BINDING}
 * @param transactionId 12 octets that tie a response to its request
 * @param attributes the attributes in wire order, FINGERPRINT excepted
 * @param fingerprint whether the message ends with a FINGERPRINT (written by the encoder, checked by the decoder)
 * @param unknownComprehensionRequired comprehension-required attribute types the decoder did not know; a response
 * that has any is unusable (RFC 8489 section 7.3), a request earns a 420 answer
 */
public record StunMessage(StunMessageClass messageClass, StunMethod method, byte[] transactionId,
		List<StunAttribute> attributes, boolean fingerprint, List<Integer> unknownComprehensionRequired) {

	/** Octets in a transaction id. */
	public static final int TRANSACTION_ID_LENGTH = 12;

	/**
	 * The software name this library sends, as the RFC suggests (section 14.14). Twelve octets: RFC 3489 servers
	 * such as stund drop a request whose attribute lengths are not multiples of four.
	 */
	public static final String SOFTWARE = "natboot STUN";

	private static final SecureRandom random = new SecureRandom();

	public StunMessage {
		if (transactionId.length != TRANSACTION_ID_LENGTH) {
			throw new IllegalArgumentException("A transaction id has 12 octets, not " + transactionId.length);
		}
		transactionId = transactionId.clone();
		attributes = List.copyOf(attributes);
		unknownComprehensionRequired = List.copyOf(unknownComprehensionRequired);
	}

	/**
	 * A message with no unknown attributes.
	 * @param messageClass its class
	 * @param method its method
	 * @param transactionId its transaction id
	 * @param attributes its attributes
	 * @param fingerprint whether to end it with a FINGERPRINT
	 */
	public StunMessage(StunMessageClass messageClass, StunMethod method, byte[] transactionId,
			List<StunAttribute> attributes, boolean fingerprint) {
		this(messageClass, method, transactionId, attributes, fingerprint, List.of());
	}

	/**
	 * A Binding request with a fresh, cryptographically random transaction id, a SOFTWARE attribute and a
	 * FINGERPRINT.
	 * @param attributes more attributes, such as a {@link StunAttribute.ChangeRequest}
	 * @return the request
	 */
	public static StunMessage bindingRequest(StunAttribute... attributes) {
		List<StunAttribute> all = new java.util.ArrayList<>(List.of(attributes));
		all.add(new StunAttribute.Software(SOFTWARE));
		return new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING, newTransactionId(), all, true);
	}

	/**
	 * A new transaction id, uniformly random as RFC 8489 section 6 asks.
	 * @return 12 random octets
	 */
	public static byte[] newTransactionId() {
		byte[] id = new byte[TRANSACTION_ID_LENGTH];
		random.nextBytes(id);
		return id;
	}

	@Override
	public byte[] transactionId() {
		return this.transactionId.clone();
	}

	/**
	 * Whether this message belongs to the transaction with the given id.
	 * @param id a transaction id
	 * @return true if the ids are equal
	 */
	public boolean hasTransactionId(byte[] id) {
		return Arrays.equals(this.transactionId, id);
	}

	/**
	 * The first attribute of a type.
	 * @param <A> the type
	 * @param type its class, for example {@code StunAttribute.ErrorCode.class}
	 * @return the attribute, empty if the message has none
	 */
	public <A extends StunAttribute> Optional<A> attribute(Class<A> type) {
		return this.attributes.stream().filter(type::isInstance).map(type::cast).findFirst();
	}

	/**
	 * The client's address as the server saw it: XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from a server that sends
	 * only that (RFC 8489 section 14.1).
	 * @return the address, empty if the message carries neither
	 */
	public Optional<InetSocketAddress> mappedAddress() {
		return attribute(StunAttribute.XorMappedAddress.class).map(StunAttribute.XorMappedAddress::address)
			.or(() -> attribute(StunAttribute.MappedAddress.class).map(StunAttribute.MappedAddress::address));
	}

	/**
	 * The server's other address (RFC 5780): OTHER-ADDRESS, or CHANGED-ADDRESS from an RFC 3489 server.
	 * @return the address, empty if the server sent neither
	 */
	public Optional<InetSocketAddress> otherAddress() {
		return attribute(StunAttribute.OtherAddress.class).map(StunAttribute.OtherAddress::address)
			.or(() -> attribute(StunAttribute.ChangedAddress.class).map(StunAttribute.ChangedAddress::address));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof StunMessage message && message.messageClass == this.messageClass
				&& message.method == this.method && Arrays.equals(message.transactionId, this.transactionId)
				&& message.attributes.equals(this.attributes) && message.fingerprint == this.fingerprint
				&& message.unknownComprehensionRequired.equals(this.unknownComprehensionRequired);
	}

	@Override
	public int hashCode() {
		return ((this.messageClass.hashCode() * 31 + this.method.hashCode()) * 31 + Arrays.hashCode(this.transactionId))
				* 31 + this.attributes.hashCode();
	}

	@Override
	public String toString() {
		return this.method + " " + this.messageClass + " " + HexFormat.of().formatHex(this.transactionId) + " "
				+ this.attributes + (this.unknownComprehensionRequired.isEmpty() ? ""
						: " unknown comprehension-required " + this.unknownComprehensionRequired.stream()
							.map(StunAttributeType::name)
							.toList());
	}

}
