package dev.natboot.core.upnp;

import java.nio.charset.StandardCharsets;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SsdpCodecTests {

	@Test
	void decodesMiniupnpdsAnswer() throws Exception {
		SsdpMessage answer = SsdpCodec.decode(Fixtures.bytes("miniupnpd-ssdp-response.txt"));
		assertThat(answer.kind()).isEqualTo(SsdpMessage.Kind.SEARCH_RESPONSE);
		assertThat(answer.target()).isEqualTo(SsdpCodec.IGD_V2);
		assertThat(answer.location()).isEqualTo("http://192.0.2.1:5000/rootDesc.xml");
		assertThat(answer.header("server")).contains("MiniUPnPd/2.3.1");
		assertThat(answer.usn()).startsWith("uuid:6e61746c");
	}

	@Test
	void decodesAnnouncementsWithAnyLineEndingAndCase() throws Exception {
		SsdpMessage notify = SsdpCodec.decode(("notify * http/1.1\nHost: 239.255.255.250:1900\nnt: upnp:rootdevice\n"
				+ "NTS: ssdp:byebye\nUsn: uuid:x::upnp:rootdevice\n\n").getBytes(StandardCharsets.US_ASCII));
		assertThat(notify.kind()).isEqualTo(SsdpMessage.Kind.NOTIFY);
		assertThat(notify.target()).isEqualTo("upnp:rootdevice");
		assertThat(notify.header("NTS")).isEqualTo("ssdp:byebye");
	}

	@Test
	void encodesMSearchAsUdaSays() {
		assertThat(new String(SsdpCodec.mSearch("ssdp:all", "239.255.255.250:1900", 1), StandardCharsets.US_ASCII))
			.isEqualTo("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
					+ "ST: ssdp:all\r\n\r\n");
		assertThat(new String(SsdpCodec.mSearch(SsdpCodec.IGD_V1, "192.0.2.1:1900", 0), StandardCharsets.US_ASCII))
			.doesNotContain("MX:");
	}

	@Test
	void rejectsWhatIsNotAnSsdpAnswer() {
		assertMalformed("M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n", "Not an SSDP answer");
		assertMalformed("HTTP/1.1 404 Not Found\r\n\r\n", "Not an SSDP answer");
		assertMalformed("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "without a name");
		assertMalformed("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(41) + "\r\n", "more than 40");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> SsdpCodec.decode(new byte[5000]))
			.withMessageContaining("too long");
		assertMalformed("", "Not an SSDP answer");
	}

	private static void assertMalformed(String datagram, String message) {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> SsdpCodec.decode(datagram.getBytes(StandardCharsets.ISO_8859_1)))
			.withMessageContaining(message);
	}

}
