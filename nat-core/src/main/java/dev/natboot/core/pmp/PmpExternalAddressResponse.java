package dev.natboot.core.pmp;

import java.net.Inet4Address;

/**
 * The gateway's external address (RFC 6886 section 3.2), also multicast by the gateway when it changes.
 *
 * @param result result code
 * @param epochSeconds seconds since start of epoch
 * @param externalAddress external IPv4 address; 0.0.0.0 on error or when the gateway has none
 */
public record PmpExternalAddressResponse(PmpResultCode result, long epochSeconds, Inet4Address externalAddress)
		implements PmpResponse {

	public PmpExternalAddressResponse {
		PmpCodec.checkUnsigned32("epochSeconds", epochSeconds);
	}

	@Override
	public int opcode() {
		return 128;
	}

}
