package dev.natboot.core.stun;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StunServerTests {

	@Test
	void parsesEveryFormUsersWrite() {
		assertThat(StunServer.parse("stun.example.net")).isEqualTo(new StunServer("stun.example.net", 3478));
		assertThat(StunServer.parse("stun.l.google.com:19302")).isEqualTo(new StunServer("stun.l.google.com", 19302));
		assertThat(StunServer.parse("stun:stun.example.net:3479")).isEqualTo(new StunServer("stun.example.net", 3479));
		assertThat(StunServer.parse(" 203.0.113.7:3478 ")).isEqualTo(new StunServer("203.0.113.7", 3478));
		assertThat(StunServer.parse("[2001:db8::1]:3479")).isEqualTo(new StunServer("2001:db8::1", 3479));
		assertThat(StunServer.parse("2001:db8::1")).isEqualTo(new StunServer("2001:db8::1", 3478));
		assertThat(StunServer.parse("[2001:db8::1]:3479")).hasToString("[2001:db8::1]:3479");
		assertThat(StunServer.parse("203.0.113.7").isLiteral()).isTrue();
		assertThat(StunServer.parse("stun.example.net").isLiteral()).isFalse();
	}

	@Test
	void resolvesToTheFamilyAsked() throws Exception {
		assertThat(StunServer.parse("[2001:db8:2::2]:3478").resolve(java.net.StandardProtocolFamily.INET6))
			.isEqualTo(new java.net.InetSocketAddress("2001:db8:2::2", 3478));
		assertThat(StunServer.parse("192.0.2.7").resolve(java.net.StandardProtocolFamily.INET))
			.isEqualTo(new java.net.InetSocketAddress("192.0.2.7", 3478));
		// A literal of the other family is no address of this one: no DNS, a clear failure.
		org.assertj.core.api.Assertions.assertThatExceptionOfType(dev.natboot.core.NatException.class)
			.isThrownBy(() -> StunServer.parse("192.0.2.7").resolve(java.net.StandardProtocolFamily.INET6))
			.withMessage("STUN server 192.0.2.7:3478 has no IPv6 address");
	}

	@Test
	void refusesWhatIsNotAServer() {
		assertThatIllegalArgumentException().isThrownBy(() -> StunServer.parse("stun.example.net:0"));
		assertThatIllegalArgumentException().isThrownBy(() -> StunServer.parse("stun.example.net:70000"));
		assertThatIllegalArgumentException().isThrownBy(() -> StunServer.parse("http://stun.example.net"));
		assertThatIllegalArgumentException().isThrownBy(() -> StunServer.parse("stuns:stun.example.net"))
			.withMessageContaining("TLS");
		assertThatIllegalArgumentException().isThrownBy(() -> StunServer.parse("-bad-.example"));
		assertThatIllegalArgumentException().isThrownBy(() -> StunServer.parse("[not-v6]:3478"));
	}

}
