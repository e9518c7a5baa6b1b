package dev.natboot.core.pmp;

/**
 * A NAT-PMP request: {@link PmpExternalAddressRequest} or {@link PmpMapRequest}.
 */
public sealed interface PmpRequest permits PmpExternalAddressRequest, PmpMapRequest {

	/**
	 * The opcode on the wire.
	 * @return 0 for external address, 1 for UDP, 2 for TCP
	 */
	int opcode();

}
