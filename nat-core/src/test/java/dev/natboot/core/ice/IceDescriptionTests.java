package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IceDescriptionTests {

	@Test
	void writesAndReadsItsOwnDescription() throws Exception {
		IceCredentials credentials = IceCredentials.random(new SecureRandom());
		InetAddress lan = InetAddress.getByName("192.168.1.10");
		IceCandidate host = IceCandidate.of(IcePriorities.foundation(IceCandidateType.HOST, Transport.UDP, lan, null),
				IcePriorities.candidatePriority(126, 65535, 1), Transport.UDP, new InetSocketAddress(lan, 40000),
				IceCandidateType.HOST, null, null);
		IceDescription description = new IceDescription(credentials, Set.of("trickle"), List.of(host), true, 0);
		String sdp = description.toSdp();
		assertThat(sdp).isEqualTo("a=ice-ufrag:" + credentials.ufrag() + "\r\na=ice-pwd:" + credentials.pwd()
				+ "\r\na=ice-options:trickle\r\na=" + host.toSdp() + "\r\na=end-of-candidates\r\n");
		assertThat(IceDescription.parse(sdp)).isEqualTo(description);
		assertThat(description.toString()).doesNotContain(credentials.pwd());
	}

	@Test
	void readsTheIceLinesOfAWholeSdpAndSkipsCandidatesItCannotUse() throws Exception {
		String offer = """
				v=0
				o=- 4611731400430051336 2 IN IP4 127.0.0.1
				s=-
				t=0 0
				m=application 9 UDP/DTLS/SCTP webrtc-datachannel
				c=IN IP4 0.0.0.0
				a=candidate:842163049 1 udp 1677729535 198.51.100.7 54045 typ srflx raddr 0.0.0.0 rport 0 generation 0
				a=candidate:1 1 ssltcp 2130706431 192.0.2.1 443 typ host
				a=candidate:2 1 udp 2122260223 192.0.2.1 54321 typ nonsense
				a=ice-ufrag:4ZcD
				a=ice-pwd:2/1muCWoOi3uLifh0NuRHlmh
				a=ice-options:trickle renomination
				a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
				""".replace("\n", "\r\n");
		IceDescription description = IceDescription.parse(offer);
		assertThat(description.credentials()).isEqualTo(new IceCredentials("4ZcD", "2/1muCWoOi3uLifh0NuRHlmh"));
		assertThat(description.options()).containsExactlyInAnyOrder("trickle", "renomination");
		assertThat(description.candidates()).extracting(IceCandidate::foundation).containsExactly("842163049");
		assertThat(description.skippedCandidates()).isEqualTo(2);
		assertThat(description.endOfCandidates()).isFalse();
	}

	@Test
	void refusesDescriptionsWithoutCredentialsOrTooLargeWithoutEchoingThePassword() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceDescription.parse("a=ice-ufrag:abcd\r\n"))
			.withMessageContaining("ice-pwd");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceDescription.parse("a=ice-ufrag:abcd\na=ice-pwd:short-secret-value"))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("short-secret-value"));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceDescription.parse("a=ice-ufrag:abcd\na=ice-ufrag:efgh\na=ice-pwd:" + "p".repeat(22)))
			.withMessageContaining("two ice-ufrag");
		StringBuilder flood = new StringBuilder("a=ice-ufrag:abcd\na=ice-pwd:" + "p".repeat(22) + "\n");
		for (int i = 0; i < 65; i++) {
			flood.append("a=candidate:").append(i).append(" 1 UDP 1 192.0.2.1 ").append(1000 + i).append(" typ host\n");
		}
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> IceDescription.parse(flood.toString()))
			.withMessageContaining("more than 64 candidates");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceDescription.parse("a=x:" + "y".repeat(IceDescription.MAX_LENGTH)))
			.withMessageContaining("exceeds");
	}

}
