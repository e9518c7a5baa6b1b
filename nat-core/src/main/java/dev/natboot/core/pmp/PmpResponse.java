package dev.natboot.core.pmp;

/**
 * A NAT-PMP response: {@link PmpExternalAddressResponse} or {@link PmpMapResponse}.
 */
public sealed interface PmpResponse permits PmpExternalAddressResponse, PmpMapResponse {

	/**
	 * The opcode on the wire, 128 more than the request's.
	 * @return 128, 129 or 130
	 */
	int opcode();

	PmpResultCode result();

	/**
	 * Seconds since the gateway's port mapping table was initialised; a value that goes back means the gateway
	 * lost its mappings.
	 * @return seconds since start of epoch
	 */
	long epochSeconds();

}
