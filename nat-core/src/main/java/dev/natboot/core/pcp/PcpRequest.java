package dev.natboot.core.pcp;

import java.net.InetAddress;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A PCP request (RFC 6887 section 7.1).
 *
 * @param opcode what is asked
 * @param lifetimeSeconds requested lifetime; 0 deletes a mapping
 * @param clientAddress the client's own address as it sees it; the server compares it with the packet's
 * source to detect another NAT in between
 * @param data opcode data, {@code null} for ANNOUNCE
 * @param options options in the order they are sent
 */
public record PcpRequest(PcpOpcode opcode, long lifetimeSeconds, InetAddress clientAddress,
		@Nullable PcpOpcodeData data, List<PcpOption> options) {

	public PcpRequest {
		PcpCodec.checkLifetime(lifetimeSeconds);
		PcpCodec.checkData(opcode, data);
		options = List.copyOf(options);
	}

	/**
	 * A MAP request.
	 * @param clientAddress the client's address
	 * @param map nonce, protocol, ports and suggested external address
	 * @param lifetimeSeconds requested lifetime, 0 to delete
	 * @param options options to send
	 * @return the request
	 */
	public static PcpRequest map(InetAddress clientAddress, PcpMapData map, long lifetimeSeconds,
			PcpOption... options) {
		return new PcpRequest(PcpOpcode.MAP, lifetimeSeconds, clientAddress, map, List.of(options));
	}

	/**
	 * An ANNOUNCE request: a harmless probe that any PCP server answers.
	 * @param clientAddress the client's address
	 * @return the request
	 */
	public static PcpRequest announce(InetAddress clientAddress) {
		return new PcpRequest(PcpOpcode.ANNOUNCE, 0, clientAddress, null, List.of());
	}

}
