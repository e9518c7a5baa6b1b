package dev.natboot.core.reachability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UdpProbeTests {

	@Test
	void anAnswerIsAsLongAsItsProbeAndCarriesItsToken() {
		byte[] probe = UdpProbe.newProbe();
		assertThat(UdpProbe.isProbe(probe, 0, probe.length)).isTrue();
		byte[] answer = UdpProbe.answer(probe, 0, probe.length);
		assertThat(answer).hasSize(probe.length);
		assertThat(UdpProbe.answers(answer, probe)).isTrue();
		assertThat(UdpProbe.answers(answer, UdpProbe.newProbe())).isFalse();
		assertThat(UdpProbe.answers(probe, probe)).isFalse();
	}

	@Test
	void findsAProbeAtAnOffsetAndNothingElse() {
		byte[] probe = UdpProbe.newProbe();
		byte[] buffer = new byte[100];
		System.arraycopy(probe, 0, buffer, 10, probe.length);
		assertThat(UdpProbe.isProbe(buffer, 10, probe.length)).isTrue();
		assertThat(UdpProbe.isProbe(buffer, 10, probe.length + 1)).isFalse();
		assertThat(UdpProbe.isProbe(new byte[UdpProbe.LENGTH], 0, UdpProbe.LENGTH)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> UdpProbe.answer(new byte[4], 0, 4));
	}

}
