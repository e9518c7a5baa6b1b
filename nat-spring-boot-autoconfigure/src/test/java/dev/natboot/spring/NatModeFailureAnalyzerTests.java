package dev.natboot.spring;

import dev.natboot.core.InvalidNatModeException;
import dev.natboot.core.NatMode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NatModeFailureAnalyzerTests {

	@Test
	void explainsTheAcceptedForms() {
		InvalidNatModeException failure = catchThrowableOfType(InvalidNatModeException.class,
				() -> NatMode.of("pcp:router.local"));
		FailureAnalysis analysis = new NatModeFailureAnalyzer().analyze(new IllegalStateException("binding", failure));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid value 'pcp:router.local' for property 'nat.mode': gateway 'router.local' is not an IPv4 address[:port].");
		assertThat(analysis.getAction()).contains("any, pcp, pmp, upnp, pcp:GATEWAY, pmp:GATEWAY, upnp:GATEWAY, extip:ADDRESS, stun, stun:HOST[:PORT], none");
	}

}
