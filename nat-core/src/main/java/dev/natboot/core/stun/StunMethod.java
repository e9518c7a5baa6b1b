package dev.natboot.core.stun;

import org.jspecify.annotations.Nullable;

/**
 * STUN methods from the IANA registry that this library knows: Binding (RFC 8489) and the TURN methods (RFC 8656,
 * RFC 6062).
 */
public enum StunMethod {

	BINDING(0x001), ALLOCATE(0x003), REFRESH(0x004), SEND(0x006), DATA(0x007), CREATE_PERMISSION(0x008),
	CHANNEL_BIND(0x009), CONNECT(0x00a), CONNECTION_BIND(0x00b), CONNECTION_ATTEMPT(0x00c);

	private final int code;

	StunMethod(int code) {
		this.code = code;
	}

	/**
	 * The method's 12-bit number.
	 * @return the number
	 */
	public int code() {
		return this.code;
	}

	static @Nullable StunMethod of(int code) {
		for (StunMethod method : values()) {
			if (method.code == code) {
				return method;
			}
		}
		return null;
	}

}
