package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Candidate lines as RFC 8839's examples, browsers, libnice and aioice write them, and lines a hostile peer could
 * send.
 */
class IceCandidateCodecTests {

	@Test
	void readsTheRfc8839Examples() throws Exception {
		IceCandidate host = IceCandidate.parse("a=candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host");
		assertThat(host.foundation()).isEqualTo("1");
		assertThat(host.component()).isEqualTo(1);
		assertThat(host.transport()).isEqualTo(Transport.UDP);
		assertThat(host.priority()).isEqualTo(2130706431L);
		assertThat(host.socketAddress()).contains(new InetSocketAddress(InetAddress.getByName("203.0.113.141"), 8998));
		assertThat(host.type()).isEqualTo(IceCandidateType.HOST);
		assertThat(host.related()).isNull();
		IceCandidate reflexive = IceCandidate
			.parse("a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998");
		assertThat(reflexive.type()).isEqualTo(IceCandidateType.SERVER_REFLEXIVE);
		assertThat(reflexive.related()).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.141"), 8998));
		assertThat(reflexive.toSdp())
			.isEqualTo("candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998");
	}

	@Test
	void readsWhatBrowsersLibniceAndAioiceWrite() throws Exception {
		IceCandidate chrome = IceCandidate.parse("candidate:842163049 1 udp 1677729535 198.51.100.7 54045 typ srflx "
				+ "raddr 0.0.0.0 rport 0 generation 0 ufrag 4ZcD network-cost 999");
		assertThat(chrome.extensions()).containsExactly(java.util.Map.entry("generation", "0"),
				java.util.Map.entry("ufrag", "4ZcD"), java.util.Map.entry("network-cost", "999"));
		assertThat(chrome.toSdp()).endsWith("typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag 4ZcD network-cost 999");
		IceCandidate mdns = IceCandidate
			.parse("candidate:1 1 udp 2122260223 0b2e8a3c-4f9a-4b1d-9d3c-0c2d5a1b7e6f.local 54321 typ host generation 0");
		assertThat(mdns.address()).isEqualTo("0b2e8a3c-4f9a-4b1d-9d3c-0c2d5a1b7e6f.local");
		assertThat(mdns.socketAddress()).as("a name is never resolved").isEmpty();
		IceCandidate libnice = IceCandidate.parse("a=candidate:2 1 TCP 1015022079 10.0.0.2 9 typ host tcptype active");
		assertThat(libnice.tcpType()).isEqualTo(IceTcpType.ACTIVE);
		assertThat(libnice.toSdp()).isEqualTo("candidate:2 1 TCP 1015022079 10.0.0.2 9 typ host tcptype active");
		IceCandidate aioice = IceCandidate.parse("6815297761 1 udp 659136 2001:db8::7 31102 typ host generation 0");
		assertThat(aioice.socketAddress()).contains(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 31102));
	}

	@Test
	void writesWhatItReads() throws Exception {
		InetSocketAddress base = new InetSocketAddress(InetAddress.getByName("192.168.1.10"), 40000);
		IceCandidate mapped = IceCandidate.of(IcePriorities.foundation(IceCandidateType.SERVER_REFLEXIVE,
				Transport.UDP, base.getAddress(), InetAddress.getByName("192.168.1.1")),
				IcePriorities.candidatePriority(100, 65535, 1), Transport.UDP,
				new InetSocketAddress(InetAddress.getByName("198.51.100.20"), 40000), IceCandidateType.SERVER_REFLEXIVE,
				base, null);
		assertThat(IceCandidate.parse(mapped.toSdp())).isEqualTo(mapped);
		assertThat(IceCandidate.parse("a=" + mapped.toSdp() + "\r\n")).isEqualTo(mapped);
	}

	@ParameterizedTest
	@ValueSource(strings = { "candidate:1 1 DTLS 2130706431 192.0.2.1 8998 typ host",
			"candidate:1 1 ssltcp 2130706431 192.0.2.1 443 typ host", "candidate:1 1 UDP 0 192.0.2.1 8998 typ host",
			"candidate:1 1 UDP 4294967296 192.0.2.1 8998 typ host", "candidate:1 1 UDP 1 192.0.2.1 65536 typ host",
			"candidate:1 0 UDP 1 192.0.2.1 1 typ host", "candidate:1 257 UDP 1 192.0.2.1 1 typ host",
			"candidate:123456789012345678901234567890123 1 UDP 1 192.0.2.1 1 typ host",
			"candidate:a-b 1 UDP 1 192.0.2.1 1 typ host", "candidate:1 1 UDP 1 192.0.2.1 1 host",
			"candidate:1 1 UDP 1 192.0.2.1 1 typ nat", "candidate:1 1 UDP 1 192.0.2.1 1 typ host generation",
			"candidate:1 1 UDP 1 192.0.2.1 1 typ host rport 99999 raddr 192.0.2.2",
			"candidate:1 1 TCP 1 192.0.2.1 9 typ host", "candidate:1 1 TCP 1 192.0.2.1 9 typ host tcptype both",
			"candidate:1 1 UDP 1 192.0.2.1%eth0 1 typ host", "candidate:1 1 UDP 1 http://203.0.113.1/ 1 typ host",
			"candidate:1 1 UDP 1 [2001:db8::1] 1 typ host", "candidate:1 1 UDP +1 192.0.2.1 1 typ host",
			"candidate:1 1 UDP 1 192.0.2.1 -1 typ host", "candidate:1 1 UDP 1 192.0.2.1 1 typ host x\u0001 1",
			"", "candidate:", "a=ice-ufrag:abcd" })
	void refusesLinesItCannotUse(String line) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> IceCandidate.parse(line));
	}

	@Test
	void boundsLinesAndTheirExtensions() throws Exception {
		StringBuilder many = new StringBuilder("candidate:1 1 UDP 1 192.0.2.1 1 typ host");
		for (int i = 0; i < 16; i++) {
			many.append(" x").append(i).append(" 1");
		}
		assertThat(IceCandidate.parse(many.toString()).extensions()).hasSize(16);
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceCandidate.parse(many + " x16 1"))
			.withMessageContaining("more than 16 extensions");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceCandidate.parse("candidate:1 1 UDP 1 192.0.2.1 1 typ host x " + "y".repeat(1000)))
			.withMessageContaining("Candidate line of 1043 characters");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceCandidate.parse("candidate:1 1 UDP 1 192.0.2.1 1 typ host x\u001b[31m 1"))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\u001b"));
	}

	@Test
	void buildsOnlyCandidatesThatReadBackAsThemselves() {
		java.util.function.Function<java.util.Map<String, String>, IceCandidate> withExtensions = (extensions) -> new IceCandidate(
				"1", 1, Transport.UDP, 1, "192.0.2.1", 1, IceCandidateType.HOST, null, null, extensions);
		assertThat(withExtensions.apply(java.util.Map.of("generation", "0")).toSdp()).endsWith("typ host generation 0");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> withExtensions.apply(java.util.Map.of("generation", "0 raddr 203.0.113.1")));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> withExtensions.apply(java.util.Map.of("raddr", "203.0.113.1")));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new IceCandidate("1", 1, Transport.UDP, 1, "192.0.2.1 typ", 1, IceCandidateType.HOST, null,
					null, java.util.Map.of()));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new IceCandidate("1", 1, Transport.TCP, 1, "192.0.2.1", 9, IceCandidateType.HOST, null,
					null, java.util.Map.of()));
	}

}
