package dev.natboot.core.stun;

/**
 * The class of a STUN message (RFC 8489 section 5): the two bits C1 and C0 spread over the message type.
 */
public enum StunMessageClass {

	REQUEST(0b00), INDICATION(0b01), SUCCESS_RESPONSE(0b10), ERROR_RESPONSE(0b11);

	private final int bits;

	StunMessageClass(int bits) {
		this.bits = bits;
	}

	/**
	 * The class's two bits, C1 then C0.
	 * @return 0 to 3
	 */
	public int bits() {
		return this.bits;
	}

	public boolean isResponse() {
		return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
	}

	static StunMessageClass ofBits(int bits) {
		return values()[bits & 0b11];
	}

}
