package dev.natboot.core.pcp;

import dev.natboot.core.NatErrorKind;
import org.jspecify.annotations.Nullable;

/**
 * PCP result codes (RFC 6887 section 7.4).
 */
public enum PcpResultCode {

	SUCCESS(0, null, false),
	UNSUPP_VERSION(1, NatErrorKind.UNSUPPORTED_VERSION, false),
	NOT_AUTHORIZED(2, NatErrorKind.NOT_AUTHORIZED, true),
	MALFORMED_REQUEST(3, NatErrorKind.PROTOCOL_ERROR, false),
	UNSUPP_OPCODE(4, NatErrorKind.UNSUPPORTED_OPERATION, false),
	UNSUPP_OPTION(5, NatErrorKind.UNSUPPORTED_OPERATION, false),
	MALFORMED_OPTION(6, NatErrorKind.PROTOCOL_ERROR, false),
	NETWORK_FAILURE(7, NatErrorKind.NETWORK_FAILURE, false),
	NO_RESOURCES(8, NatErrorKind.NO_RESOURCES, false),
	UNSUPP_PROTOCOL(9, NatErrorKind.UNSUPPORTED_OPERATION, true),
	USER_EX_QUOTA(10, NatErrorKind.NO_RESOURCES, false),
	CANNOT_PROVIDE_EXTERNAL(11, NatErrorKind.CANNOT_PROVIDE_EXTERNAL, false),
	ADDRESS_MISMATCH(12, NatErrorKind.ADDRESS_MISMATCH, true),
	EXCESSIVE_REMOTE_PEERS(13, NatErrorKind.NO_RESOURCES, true);

	private final int code;

	private final @Nullable NatErrorKind errorKind;

	private final boolean longTermError;

	PcpResultCode(int code, @Nullable NatErrorKind errorKind, boolean longTermError) {
		this.code = code;
		this.errorKind = errorKind;
		this.longTermError = longTermError;
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

	/**
	 * Whether RFC 6887 section 7.4 lists this as a long-term error (retrying soon will not help) rather than a
	 * short-term one.
	 * @return true for long-term errors
	 */
	public boolean isLongTermError() {
		return this.longTermError;
	}

	static @Nullable PcpResultCode of(int code) {
		for (PcpResultCode result : values()) {
			if (result.code == code) {
				return result;
			}
		}
		return null;
	}

}
