package dev.natboot.core.pmp;

import java.net.InetAddress;
import java.util.HexFormat;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PmpCodecTests {

	private static final HexFormat HEX = HexFormat.of();

	@Test
	void encodesRequestsAsRfc6886Says() {
		assertThat(HEX.formatHex(PmpCodec.encode(new PmpExternalAddressRequest()))).isEqualTo("0000");
		assertThat(HEX.formatHex(PmpCodec.encode(new PmpMapRequest(Transport.TCP, 8080, 8081, 7200))))
			.isEqualTo("00020000" + "1f901f91" + "00001c20");
		assertThat(HEX.formatHex(PmpCodec.encode(PmpMapRequest.delete(Transport.UDP, 5000))))
			.isEqualTo("00010000" + "13880000" + "00000000");
	}

	@Test
	void decodesRecordedMiniupnpdResponses() throws Exception {
		// Field values as miniupnpd 2.3.1 answered natpmpc in the lab.
		PmpResponse address = PmpCodec.decodeResponse(HEX.parseHex("00800000000000c10b162101"));
		assertThat(address).isEqualTo(new PmpExternalAddressResponse(PmpResultCode.SUCCESS, 193,
				(java.net.Inet4Address) InetAddress.getByName("11.22.33.1")));
		PmpResponse map = PmpCodec.decodeResponse(HEX.parseHex("00820000000000c11f901f900000003c"));
		assertThat(map).isEqualTo(new PmpMapResponse(Transport.TCP, PmpResultCode.SUCCESS, 193, 8080, 8080, 60));
	}

	@Test
	void responsesAndRequestsRoundTrip() throws Exception {
		PmpMapResponse response = new PmpMapResponse(Transport.UDP, PmpResultCode.SUCCESS, 0xfffffffeL, 65535, 1, 0xffffffffL);
		assertThat(PmpCodec.decodeResponse(PmpCodec.encode(response))).isEqualTo(response);
		PmpMapRequest request = new PmpMapRequest(Transport.UDP, 1, 65535, 0xffffffffL);
		assertThat(PmpCodec.decodeRequest(PmpCodec.encode(request))).isEqualTo(request);
		assertThat(PmpCodec.decodeRequest(new byte[] { 0, 0 })).isEqualTo(new PmpExternalAddressRequest());
	}

	@Test
	void errorResponsesMayBeShort() throws Exception {
		PmpResponse unsupported = PmpCodec.decodeResponse(HEX.parseHex("0082000100000005"));
		assertThat(unsupported.result()).isEqualTo(PmpResultCode.UNSUPPORTED_VERSION);
		assertThat(((PmpMapResponse) unsupported).mappedExternalPort()).isZero();
		PmpResponse refused = PmpCodec.decodeResponse(HEX.parseHex("0080000300000005"));
		assertThat(((PmpExternalAddressResponse) refused).externalAddress().isAnyLocalAddress()).isTrue();
	}

	@Test
	void rejectsMalformedPackets() {
		assertMalformed("", "truncated");
		assertMalformed("0080000000", "truncated");
		assertMalformed("00800000000000c1", "expected 12");
		assertMalformed("00820000000000c11f901f90", "expected 16");
		assertMalformed("02800000000000c10b162101", "version 2");
		assertMalformed("00850000000000c10b162101", "opcode 5");
		assertMalformed("00800009000000c10b162101", "result code 9");
		assertMalformed("00010000000000c10b162101", "request");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> PmpCodec.decodeResponse(new byte[1101]));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> PmpCodec.decodeRequest(HEX.parseHex("00020000")));
	}

	private static void assertMalformed(String hex, String message) {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> PmpCodec.decodeResponse(HEX.parseHex(hex)))
			.withMessageContaining(message);
	}

}
