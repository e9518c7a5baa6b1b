package dev.natboot.core.pmp;

/**
 * Asks the gateway for its external address (RFC 6886 section 3.2).
 */
public record PmpExternalAddressRequest() implements PmpRequest {

	@Override
	public int opcode() {
		return 0;
	}

}
