package dev.natboot.core.ice;

import java.net.InetAddress;

import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IcePrioritiesTests {

	@Test
	void computesCandidatePrioritiesAsRfc8445Does() {
		// the priorities of RFC 8839's examples: a host and a server-reflexive candidate, one interface
		assertThat(IcePriorities.candidatePriority(126, 65535, 1)).isEqualTo(2130706431L);
		assertThat(IcePriorities.candidatePriority(100, 65535, 1)).isEqualTo(1694498815L);
		assertThat(IcePriorities.candidatePriority(0, 0, 256)).isZero();
		assertThat(IcePriorities.candidatePriority(126, 65535, 1)).isLessThanOrEqualTo(IceCandidate.MAX_PRIORITY);
		assertThatIllegalArgumentException().isThrownBy(() -> IcePriorities.candidatePriority(127, 0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> IcePriorities.candidatePriority(0, 65536, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> IcePriorities.candidatePriority(0, 0, 0));
	}

	@Test
	void computesPairPrioritiesWithTheControllingSideBreakingTies() {
		long host = 2130706431L;
		long reflexive = 1694498815L;
		assertThat(IcePriorities.pairPriority(host, reflexive)).isEqualTo((reflexive << 32) + 2 * host + 1);
		assertThat(IcePriorities.pairPriority(reflexive, host)).isEqualTo((reflexive << 32) + 2 * host);
		assertThat(IcePriorities.pairPriority(host, host)).isEqualTo((host << 32) + 2 * host);
		assertThat(IcePriorities.pairPriority(host, host)).isGreaterThan(IcePriorities.pairPriority(host, reflexive));
	}

	@Test
	void givesAlikeCandidatesOneFoundationAndOthersAnother() throws Exception {
		InetAddress base = InetAddress.getByName("192.168.1.10");
		InetAddress stun = InetAddress.getByName("203.0.113.5");
		String foundation = IcePriorities.foundation(IceCandidateType.SERVER_REFLEXIVE, Transport.UDP, base, stun);
		assertThat(IcePriorities.foundation(IceCandidateType.SERVER_REFLEXIVE, Transport.UDP, base, stun))
			.isEqualTo(foundation);
		assertThat(foundation).matches("[0-9]{1,10}");
		assertThat(IcePriorities.foundation(IceCandidateType.SERVER_REFLEXIVE, Transport.UDP, base,
				InetAddress.getByName("203.0.113.6"))).isNotEqualTo(foundation);
		assertThat(IcePriorities.foundation(IceCandidateType.SERVER_REFLEXIVE, Transport.TCP, base, stun))
			.isNotEqualTo(foundation);
		assertThat(IcePriorities.foundation(IceCandidateType.HOST, Transport.UDP, base, null)).isNotEqualTo(foundation);
	}


	@Test
	void tcpCandidatesTakeHalfTheirTypesPreferenceAndADirectionPreferenceAsRfc6544Does() {
		assertThat(IcePriorities.tcpTypePreference(IceCandidateType.HOST)).isEqualTo(63);
		assertThat(IcePriorities.tcpTypePreference(IceCandidateType.RELAYED)).isZero();
		// host and relayed: active 6, passive 4, so 2; reflexive: so 6, active 4, passive 2 (section 4.2)
		assertThat(IcePriorities.tcpLocalPreference(IceCandidateType.HOST, IceTcpType.ACTIVE, 8191)).isEqualTo(6 * 8192 + 8191);
		assertThat(IcePriorities.tcpLocalPreference(IceCandidateType.HOST, IceTcpType.PASSIVE, 0)).isEqualTo(4 * 8192);
		assertThat(IcePriorities.tcpLocalPreference(IceCandidateType.HOST, IceTcpType.SIMULTANEOUS_OPEN, 0)).isEqualTo(2 * 8192);
		assertThat(IcePriorities.tcpLocalPreference(IceCandidateType.SERVER_REFLEXIVE, IceTcpType.SIMULTANEOUS_OPEN, 0))
			.isEqualTo(6 * 8192);
		assertThat(IcePriorities.tcpLocalPreference(IceCandidateType.SERVER_REFLEXIVE, IceTcpType.PASSIVE, 0)).isEqualTo(2 * 8192);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> IcePriorities.tcpLocalPreference(IceCandidateType.HOST, IceTcpType.ACTIVE, 8192));
	}

}
