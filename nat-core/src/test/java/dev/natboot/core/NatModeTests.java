package dev.natboot.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class NatModeTests {

	@Test
	void parsesEveryAcceptedForm() throws Exception {
		assertThat(NatMode.of("any")).isEqualTo(NatMode.ANY);
		assertThat(NatMode.of(" NONE ")).isEqualTo(NatMode.NONE);
		assertThat(NatMode.of("pcp")).isEqualTo(new NatMode(NatMode.Kind.PCP, null, null));
		assertThat(NatMode.of("pmp:192.168.1.1").gateway())
			.isEqualTo(new InetSocketAddress(InetAddress.getByName("192.168.1.1"), 5351));
		assertThat(NatMode.of("pcp:127.0.0.1:15351").gateway())
			.isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 15351));
		assertThat(NatMode.of("upnp")).isEqualTo(new NatMode(NatMode.Kind.UPNP, null, null));
		assertThat(NatMode.of("upnp:192.168.1.1").gateway())
			.isEqualTo(new InetSocketAddress(InetAddress.getByName("192.168.1.1"), 1900));
		assertThat(NatMode.of("upnp:192.168.1.1:1901").toSpec()).isEqualTo("upnp:192.168.1.1:1901");
		assertThat(NatMode.of("upnp:192.168.1.1:1900").toSpec()).isEqualTo("upnp:192.168.1.1");
		assertThat(NatMode.of("extip:203.0.113.7").externalAddress()).isEqualTo(InetAddress.getByName("203.0.113.7"));
		assertThat(NatMode.of("extip:2001:db8::7").externalAddress()).isEqualTo(InetAddress.getByName("2001:db8::7"));
		assertThat(NatMode.of("extip:[2001:db8::7]").externalAddress()).isEqualTo(InetAddress.getByName("2001:db8::7"));
	}

	@Test
	void printsTheCanonicalSpec() {
		assertThat(NatMode.of("PCP:10.0.0.1").toSpec()).isEqualTo("pcp:10.0.0.1");
		assertThat(NatMode.of("pmp:10.0.0.1:9999").toSpec()).isEqualTo("pmp:10.0.0.1:9999");
		assertThat(NatMode.of("extip:203.0.113.7")).hasToString("extip:203.0.113.7");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "bogus", "any:1.2.3.4", "none:x", "pcp:", "pcp:router.local", "pcp:300.1.1.1",
			"pcp:1.2.3.4:0", "pcp:1.2.3.4:70000", "extip", "extip:example.com", "extip:1.2.3", "pcp 1.2.3.4",
			"pcp:0.0.0.0", "pmp:0.0.0.0:5351", "upnp:255.255.255.255", "pcp:224.0.0.1", "upnp:239.255.255.250",
			"pcp:240.0.0.1", "extip:0.0.0.0", "extip:::", "extip:224.0.0.1", "extip:ff02::1", "extip:255.255.255.255",
			"extip:.:1", "pcp:1.2.3.4.5" })
	void rejectsAnythingElseNamingTheAcceptedForms(String spec) {
		assertThatExceptionOfType(InvalidNatModeException.class).isThrownBy(() -> NatMode.of(spec))
			.withMessageContaining("Accepted forms: any, pcp, pmp, upnp, pcp:GATEWAY, pmp:GATEWAY, upnp:GATEWAY, extip:ADDRESS, stun, stun:HOST[:PORT], none");
	}

	@Test
	void unusableGatewaysAreNamedInTheMessage() {
		assertThatExceptionOfType(InvalidNatModeException.class).isThrownBy(() -> NatMode.of("pcp:0.0.0.0"))
			.withMessageContaining("gateway 0.0.0.0 is unspecified, not a router");
		assertThatExceptionOfType(InvalidNatModeException.class).isThrownBy(() -> NatMode.of("upnp:239.255.255.250"))
			.withMessageContaining("is a multicast group");
		assertThatExceptionOfType(InvalidNatModeException.class).isThrownBy(() -> NatMode.of("extip:0.0.0.0"))
			.withMessageContaining("external address 0.0.0.0 is unspecified");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new NatMode(NatMode.Kind.PCP, new InetSocketAddress("0.0.0.0", 5351), null));
		// A router emulated on this host (tests, a local daemon) is fine.
		assertThat(NatMode.of("pcp:127.0.0.1:5351").gateway().getAddress().isLoopbackAddress()).isTrue();
	}

	@Test
	void stunTakesAnOptionalServer() {
		assertThat(NatMode.of("stun")).isEqualTo(new NatMode(NatMode.Kind.STUN, null, null, null));
		assertThat(NatMode.of("STUN:stun.example.net")).isEqualTo(new NatMode(NatMode.Kind.STUN, null, null,
				new dev.natboot.core.stun.StunServer("stun.example.net", 3478)));
		assertThat(NatMode.of("stun:[2001:db8::1]:3479").toSpec()).isEqualTo("stun:[2001:db8::1]:3479");
		assertThat(NatMode.of("stun:11.22.33.2").toSpec()).isEqualTo("stun:11.22.33.2:3478");
		assertThat(NatMode.Kind.STUN.usesRouter()).isFalse();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(InvalidNatModeException.class)
			.isThrownBy(() -> NatMode.of("stun:bad host"))
			.withMessageContaining("stun:bad host");
	}

}
