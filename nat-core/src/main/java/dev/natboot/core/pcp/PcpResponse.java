package dev.natboot.core.pcp;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A PCP response (RFC 6887 section 7.2), also the form of an unsolicited ANNOUNCE.
 *
 * @param opcode opcode of the request answered
 * @param result result code
 * @param lifetimeSeconds granted lifetime on success; on error, how long the error is expected to last
 * @param epochSeconds the server's epoch time, which restarts when the server loses its state
 * @param data opcode data; {@code null} for ANNOUNCE and for error responses that carry none
 * @param options options
 */
public record PcpResponse(PcpOpcode opcode, PcpResultCode result, long lifetimeSeconds, long epochSeconds,
		@Nullable PcpOpcodeData data, List<PcpOption> options) {

	public PcpResponse {
		PcpCodec.checkLifetime(lifetimeSeconds);
		PcpCodec.checkLifetime(epochSeconds);
		if (result == PcpResultCode.SUCCESS || data != null) {
			PcpCodec.checkData(opcode, data);
		}
		options = List.copyOf(options);
	}

	/**
	 * The MAP part of the data, for MAP and PEER responses that carry it.
	 * @return the data, or {@code null}
	 */
	public @Nullable PcpMapData mapData() {
		return (this.data != null) ? this.data.mapPart() : null;
	}

}
