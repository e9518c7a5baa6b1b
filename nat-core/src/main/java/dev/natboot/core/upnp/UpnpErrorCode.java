package dev.natboot.core.upnp;

import dev.natboot.core.NatErrorKind;
import org.jspecify.annotations.Nullable;

/**
 * UPnP error codes a WANIPConnection or WANPPPConnection service returns (UDA 1.1 section 3.2.2 and the IGD
 * WANIPConnection:2 specification, section 2.4).
 */
public enum UpnpErrorCode {

	INVALID_ACTION(401, NatErrorKind.UNSUPPORTED_OPERATION),
	INVALID_ARGS(402, NatErrorKind.PROTOCOL_ERROR),
	ACTION_FAILED(501, NatErrorKind.PROTOCOL_ERROR),
	ACTION_NOT_AUTHORIZED(606, NatErrorKind.NOT_AUTHORIZED),
	NO_SUCH_ENTRY(714, NatErrorKind.PROTOCOL_ERROR),
	WILDCARD_NOT_PERMITTED_IN_SOURCE_IP(715, NatErrorKind.UNSUPPORTED_OPERATION),
	WILDCARD_NOT_PERMITTED_IN_EXTERNAL_PORT(716, NatErrorKind.UNSUPPORTED_OPERATION),
	CONFLICT_IN_MAPPING_ENTRY(718, NatErrorKind.CANNOT_PROVIDE_EXTERNAL),
	SAME_PORT_VALUES_REQUIRED(724, NatErrorKind.CANNOT_PROVIDE_EXTERNAL),
	ONLY_PERMANENT_LEASES(725, NatErrorKind.UNSUPPORTED_OPERATION),
	REMOTE_HOST_ONLY_SUPPORTS_WILDCARD(726, NatErrorKind.UNSUPPORTED_OPERATION),
	EXTERNAL_PORT_ONLY_SUPPORTS_WILDCARD(727, NatErrorKind.UNSUPPORTED_OPERATION),
	NO_PORT_MAPS_AVAILABLE(728, NatErrorKind.NO_RESOURCES),
	CONFLICT_WITH_OTHER_MECHANISMS(729, NatErrorKind.CANNOT_PROVIDE_EXTERNAL),
	WILDCARD_NOT_PERMITTED_IN_INTERNAL_PORT(732, NatErrorKind.UNSUPPORTED_OPERATION);

	private final int code;

	private final NatErrorKind errorKind;

	UpnpErrorCode(int code, NatErrorKind errorKind) {
		this.code = code;
		this.errorKind = errorKind;
	}

	public int code() {
		return this.code;
	}

	public NatErrorKind errorKind() {
		return this.errorKind;
	}

	/**
	 * The code for a number.
	 * @param code the number in a fault
	 * @return the code, or {@code null} if it is not one of these
	 */
	public static @Nullable UpnpErrorCode of(int code) {
		for (UpnpErrorCode value : values()) {
			if (value.code == code) {
				return value;
			}
		}
		return null;
	}

}
