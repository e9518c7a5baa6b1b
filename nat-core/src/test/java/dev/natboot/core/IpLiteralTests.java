package dev.natboot.core;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpLiteralTests {

	@Test
	void parsesLiteralsOnly() throws Exception {
		assertThat(IpLiteral.parse(" 192.0.2.1 ")).isEqualTo(InetAddress.getByName("192.0.2.1"));
		assertThat(IpLiteral.parse("2001:db8::1")).isEqualTo(InetAddress.getByName("2001:db8::1"));
		assertThat(IpLiteral.parse("[2001:db8::1]")).isEqualTo(InetAddress.getByName("2001:db8::1"));
		assertThat(IpLiteral.parse("::ffff:192.0.2.1")).isEqualTo(InetAddress.getByName("192.0.2.1"));
		assertThat(IpLiteral.parse("localhost")).isNull();
		assertThat(IpLiteral.parse("router.example")).isNull();
		assertThat(IpLiteral.parse("256.1.1.1")).isNull();
		assertThat(IpLiteral.parse("1.2.3")).isNull();
		assertThat(IpLiteral.parse("")).isNull();
		assertThat(IpLiteral.parse(null)).isNull();
		assertThat(IpLiteral.parseIpv4("2001:db8::1")).isNull();
	}

}
