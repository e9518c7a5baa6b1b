package dev.natboot.core.pmp;

import dev.natboot.core.NatErrorKind;
import org.jspecify.annotations.Nullable;

/**
 * NAT-PMP result codes (RFC 6886 section 3.5).
 */
public enum PmpResultCode {

	SUCCESS(0, null),
	UNSUPPORTED_VERSION(1, NatErrorKind.UNSUPPORTED_VERSION),
	NOT_AUTHORIZED(2, NatErrorKind.NOT_AUTHORIZED),
	NETWORK_FAILURE(3, NatErrorKind.NETWORK_FAILURE),
	OUT_OF_RESOURCES(4, NatErrorKind.NO_RESOURCES),
	UNSUPPORTED_OPCODE(5, NatErrorKind.UNSUPPORTED_OPERATION);

	private final int code;

	private final @Nullable NatErrorKind errorKind;

	PmpResultCode(int code, @Nullable NatErrorKind errorKind) {
		this.code = code;
		this.errorKind = errorKind;
	}

	public int code() {
		return this.code;
	}

	/**
	 * The protocol-neutral kind of this error.
	 * @return the kind, {@code null} for {@link #SUCCESS}
	 */
	public @Nullable NatErrorKind errorKind() {
		return this.errorKind;
	}

	static @Nullable PmpResultCode of(int code) {
		for (PmpResultCode result : values()) {
			if (result.code == code) {
				return result;
			}
		}
		return null;
	}

}
