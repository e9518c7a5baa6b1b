package dev.natboot.core.pcp;

import java.net.InetAddress;
import java.util.HexFormat;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PcpCodecTests {

	private static final HexFormat HEX = HexFormat.of();

	/** A MAP response with the field values miniupnpd 2.3.1 answered in the lab (TCP 8080 granted 120 s on 11.22.33.1). */
	private static final String MINIUPNPD_MAP_RESPONSE = "02810000" + "00000078" + "000001f1" + "000000000000000000000000"
			+ "8fdc3b18804a1318e51e6167" + "06000000" + "1f90" + "1f90" + "00000000000000000000ffff0b162101";

	@Test
	void mapRequestHasTheWireLayoutOfRfc6887() throws Exception {
		byte[] nonce = HEX.parseHex("0102030405060708090a0b0c");
		PcpRequest request = PcpRequest.map(InetAddress.getByName("192.0.2.10"),
				new PcpMapData(nonce, 6, 8080, 8081, InetAddress.getByName("0.0.0.0")), 300);
		assertThat(HEX.formatHex(PcpCodec.encode(request))).isEqualTo("02010000" + "0000012c"
				+ "00000000000000000000ffffc000020a" + "0102030405060708090a0b0c" + "06000000" + "1f90" + "1f91"
				+ "00000000000000000000ffff00000000");
	}

	@Test
	void decodesARecordedMiniupnpdMapResponse() throws Exception {
		PcpResponse response = PcpCodec.decodeResponse(HEX.parseHex(MINIUPNPD_MAP_RESPONSE));
		assertThat(response.opcode()).isEqualTo(PcpOpcode.MAP);
		assertThat(response.result()).isEqualTo(PcpResultCode.SUCCESS);
		assertThat(response.lifetimeSeconds()).isEqualTo(120);
		assertThat(response.epochSeconds()).isEqualTo(497);
		PcpMapData map = response.mapData();
		assertThat(map).isNotNull();
		assertThat(map.protocol()).isEqualTo(6);
		assertThat(map.internalPort()).isEqualTo(8080);
		assertThat(map.externalPort()).isEqualTo(8080);
		assertThat(map.externalAddress()).isEqualTo(InetAddress.getByName("11.22.33.1"));
		assertThat(HEX.formatHex(PcpCodec.encode(response))).isEqualTo(MINIUPNPD_MAP_RESPONSE);
	}

	@Test
	void requestsRoundTripWithOptions() throws Exception {
		byte[] nonce = new byte[12];
		nonce[0] = 7;
		PcpMapData map = new PcpMapData(nonce, 17, 5000, 0, InetAddress.getByName("::"));
		PcpPeerData peer = new PcpPeerData(map, 443, InetAddress.getByName("2001:db8::1"));
		PcpRequest request = new PcpRequest(PcpOpcode.PEER, 60, InetAddress.getByName("2001:db8::2"), peer,
				java.util.List.of(PcpOption.preferFailure(), PcpOption.thirdParty(InetAddress.getByName("192.0.2.7")),
						PcpOption.filter(24, 0, InetAddress.getByName("198.51.100.0")), new PcpOption(200, new byte[] { 1 })));
		byte[] encoded = PcpCodec.encode(request);
		assertThat(encoded.length % 4).isZero();
		assertThat(PcpCodec.decodeRequest(encoded)).isEqualTo(request);
	}

	@Test
	void announceRoundTrips() throws Exception {
		PcpRequest announce = PcpRequest.announce(InetAddress.getByName("192.0.2.10"));
		assertThat(PcpCodec.encode(announce)).hasSize(24);
		assertThat(PcpCodec.decodeRequest(PcpCodec.encode(announce))).isEqualTo(announce);
		PcpResponse response = new PcpResponse(PcpOpcode.ANNOUNCE, PcpResultCode.SUCCESS, 0, 12, null, java.util.List.of());
		assertThat(PcpCodec.decodeResponse(PcpCodec.encode(response))).isEqualTo(response);
	}

	@Test
	void errorResponseMayStopAfterTheHeader() throws Exception {
		byte[] header = HEX.parseHex("02810002" + "0000001e" + "00000010" + "000000000000000000000000");
		PcpResponse response = PcpCodec.decodeResponse(header);
		assertThat(response.result()).isEqualTo(PcpResultCode.NOT_AUTHORIZED);
		assertThat(response.result().isLongTermError()).isTrue();
		assertThat(response.data()).isNull();
	}

	@Test
	void rejectsMalformedPackets() {
		byte[] valid = HEX.parseHex(MINIUPNPD_MAP_RESPONSE);
		assertMalformed(new byte[0], "shorter than its header");
		assertMalformed(java.util.Arrays.copyOf(valid, 20), "shorter than its header");
		assertMalformed(java.util.Arrays.copyOf(valid, 26), "multiple of 4");
		assertMalformed(java.util.Arrays.copyOf(valid, 40), "truncated");
		assertMalformed(new byte[1104], "longer than 1100");
		byte[] version = valid.clone();
		version[0] = 1;
		assertMalformed(version, "version 1");
		byte[] opcode = valid.clone();
		opcode[1] = (byte) 0x85;
		assertMalformed(opcode, "opcode 5");
		byte[] result = valid.clone();
		result[3] = 99;
		assertMalformed(result, "result code 99");
		byte[] request = valid.clone();
		request[1] = 1;
		assertMalformed(request, "request");
		byte[] badOption = java.util.Arrays.copyOf(valid, valid.length + 4);
		badOption[valid.length] = (byte) 130;
		badOption[valid.length + 3] = 40;
		assertMalformed(badOption, "claims 40 octets");
	}

	@Test
	void refusesToEncodeInvalidMessages() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PcpMapData(new byte[5], 6, 1, 1, InetAddress.getByName("0.0.0.0")));
		assertThatIllegalArgumentException().isThrownBy(() -> new PcpMapData(new byte[12], 6, 70000, 1, InetAddress.getByName("0.0.0.0")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PcpRequest(PcpOpcode.MAP, 1, InetAddress.getByName("192.0.2.1"), null, java.util.List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new PcpOption(3, new byte[2000]));
	}

	private static void assertMalformed(byte[] packet, String message) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> PcpCodec.decodeResponse(packet))
			.withMessageContaining(message);
	}

}
