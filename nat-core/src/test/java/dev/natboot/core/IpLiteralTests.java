package dev.natboot.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpLiteralTests {

	@Test
	void formatsIpv6AsRfc5952Says() throws Exception {
		assertThat(IpLiteral.format(InetAddress.getByName("2001:db8:1:0:0:0:0:10"))).isEqualTo("2001:db8:1::10");
		assertThat(IpLiteral.format(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
		assertThat(IpLiteral.format(InetAddress.getByName("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
		assertThat(IpLiteral.format(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
		assertThat(IpLiteral.format(InetAddress.getByName("::"))).isEqualTo("::");
		assertThat(IpLiteral.format(InetAddress.getByName("::1"))).isEqualTo("::1");
		assertThat(IpLiteral.format(InetAddress.getByName("fe80:0:0:0:0:0:0:0"))).isEqualTo("fe80::");
		assertThat(IpLiteral.format(InetAddress.getByName("2001:DB8:ABCD:0012:0:0:0:0"))).isEqualTo("2001:db8:abcd:12::");
		assertThat(IpLiteral.format(Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7)))
			.isEqualTo("fe80::1%7");
		assertThat(IpLiteral.format(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
		assertThat(IpLiteral.endpoint(InetAddress.getByName("2001:db8::10"), 8080)).isEqualTo("[2001:db8::10]:8080");
		assertThat(IpLiteral.endpoint(InetAddress.getByName("192.0.2.1"), 80)).isEqualTo("192.0.2.1:80");
	}

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

	@Test
	void readsEveryIpv6TextForm() throws Exception {
		assertThat(IpLiteral.parse("::")).isEqualTo(InetAddress.getByName("::"));
		assertThat(IpLiteral.parse("::1")).isEqualTo(InetAddress.getByName("::1"));
		assertThat(IpLiteral.parse("fe80::")).isEqualTo(InetAddress.getByName("fe80::"));
		assertThat(IpLiteral.parse("2001:DB8:0:0:8:800:200C:417A")).isEqualTo(InetAddress.getByName("2001:db8::8:800:200c:417a"));
		assertThat(IpLiteral.parse("1:2:3:4:5:6:7:8")).isEqualTo(InetAddress.getByName("1:2:3:4:5:6:7:8"));
		assertThat(IpLiteral.parse("1:2:3:4:5:6:1.2.3.4")).isEqualTo(InetAddress.getByName("1:2:3:4:5:6:102:304"));
		assertThat(IpLiteral.parse("64:ff9b::192.0.2.33")).isEqualTo(InetAddress.getByName("64:ff9b::c000:221"));
		// The IPv4-mapped form is the IPv4 address, whichever way a router writes it.
		assertThat(IpLiteral.parse("::FFFF:c000:0201")).isInstanceOf(Inet4Address.class)
			.isEqualTo(InetAddress.getByName("192.0.2.1"));
	}

	/**
	 * Text that InetAddress.getByName would send to the resolver, or that is not an address at all: the
	 * resolver must never see any of it (".:1" was looked up before).
	 */
	@ParameterizedTest
	@ValueSource(strings = { ".:1", ":1", "1:", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
			"12345::", "g::1", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "::1.2.3.4:1", "fe80::1%eth0", "fe80::1%1",
			"[::1", "::1]", "1.2.3.4:80", "01234.1.1.1", "1..2.3", ".1.2.3", "1.2.3.4.", "+1.2.3.4", "1.2.3.-4",
			"0x7f.0.0.1", "127.1", "2130706433", "example.com", "xn--nxasmq6b", "a.b.c.d", "1.2.3.4 5",
			"\u0661.\u0662.\u0663.\u0664" })
	void refusesEverythingElseWithoutALookup(String text) {
		assertThat(IpLiteral.parse(text)).isNull();
		assertThat(IpLiteral.parseIpv4(text)).isNull();
	}

	@Test
	void refusesOverlongTextUnread() {
		assertThat(IpLiteral.parse("1".repeat(100_000))).isNull();
		assertThat(IpLiteral.parse(":".repeat(100_000))).isNull();
	}

}
