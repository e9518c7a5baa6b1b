package dev.natboot.core.pmp;

import dev.natboot.core.Transport;

/**
 * The answer to a mapping request (RFC 6886 section 3.3).
 *
 * @param transport TCP or UDP
 * @param result result code
 * @param epochSeconds seconds since start of epoch
 * @param internalPort port on this host
 * @param mappedExternalPort external port the gateway assigned
 * @param lifetimeSeconds lifetime the gateway granted, which may differ from the one asked for
 */
public record PmpMapResponse(Transport transport, PmpResultCode result, long epochSeconds, int internalPort,
		int mappedExternalPort, long lifetimeSeconds) implements PmpResponse {

	public PmpMapResponse {
		PmpCodec.checkUnsigned32("epochSeconds", epochSeconds);
		PmpCodec.checkPort("internalPort", internalPort);
		PmpCodec.checkPort("mappedExternalPort", mappedExternalPort);
		PmpCodec.checkUnsigned32("lifetimeSeconds", lifetimeSeconds);
	}

	@Override
	public int opcode() {
		return 128 + PmpCodec.opcodeOf(this.transport);
	}

}
