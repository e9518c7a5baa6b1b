package dev.natboot.core.pmp;

import dev.natboot.core.Transport;

/**
 * Asks for a mapping, renews one, or deletes one with a lifetime of 0 (RFC 6886 section 3.3).
 *
 * @param transport TCP or UDP
 * @param internalPort port on this host
 * @param suggestedExternalPort external port wanted, 0 for no preference; must be 0 when deleting
 * @param lifetimeSeconds requested lifetime, 0 to delete
 */
public record PmpMapRequest(Transport transport, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
		implements PmpRequest {

	public PmpMapRequest {
		PmpCodec.checkPort("internalPort", internalPort);
		PmpCodec.checkPort("suggestedExternalPort", suggestedExternalPort);
		PmpCodec.checkUnsigned32("lifetimeSeconds", lifetimeSeconds);
	}

	/**
	 * A request that deletes the mapping of an internal port.
	 * @param transport TCP or UDP
	 * @param internalPort port on this host
	 * @return the request
	 */
	public static PmpMapRequest delete(Transport transport, int internalPort) {
		return new PmpMapRequest(transport, internalPort, 0, 0);
	}

	@Override
	public int opcode() {
		return PmpCodec.opcodeOf(this.transport);
	}

}
