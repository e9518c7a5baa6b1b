package dev.natboot.core.gateway;

import java.net.Inet6Address;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables are the lab's LAN host's (natlab up --ipv6), as Linux 6.x wrote them: a stable address, a
 * temporary one the kernel made from it with privacy extensions, a deprecated one, a link-local one.
 */
class Ipv6HostTests {

	private static final String IF_INET6 = """
			20010db800010000000000000000dead 51 40 00 a2   nlv6ah
			20010db8000100000000000000000010 51 40 00 82   nlv6ah
			20010db80001000049e7db78896a5978 51 40 00 01   nlv6ah
			fe800000000000002c5318fffee8da47 51 40 20 80   nlv6ah
			00000000000000000000000000000001 01 80 10 80       lo
			""";

	private static final String IPV6_ROUTE = """
			20010db8000100000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001   nlv6ah
			fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000003 00000000 00000001   nlv6ah
			00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000003 00000000 00000003   nlv6ah
			00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001       lo
			00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
			""";

	@Test
	void stableAddressIsNeitherTemporaryNorDeprecatedNorLinkLocal() {
		List<Ipv6Host.HostAddress> addresses = Ipv6Host.parseIfInet6(IF_INET6);
		assertThat(addresses).hasSize(5);
		assertThat(addresses).filteredOn(Ipv6Host.HostAddress::stableGlobal)
			.extracting((address) -> address.address().getHostAddress())
			.containsExactly("2001:db8:1:0:0:0:0:10");
		assertThat(addresses).filteredOn(Ipv6Host.HostAddress::temporary)
			.extracting((address) -> address.address().getHostAddress())
			.containsExactly("2001:db8:1:0:49e7:db78:896a:5978");
	}

	@Test
	void tentativeAndDuplicateAddressesAreNotStable() {
		String table = """
				20010db8000100000000000000000011 02 40 00 40     eth0
				20010db8000100000000000000000012 02 40 00 08     eth0
				fd000000000000000000000000000002 02 40 00 80     eth0
				""";
		assertThat(Ipv6Host.parseIfInet6(table)).noneMatch(Ipv6Host.HostAddress::stableGlobal);
	}

	@Test
	void defaultRouteThroughALinkLocalRouterIsScopedToItsInterface() {
		Ipv6Host.Ipv6Route route = Ipv6Host.parseIpv6Route(IPV6_ROUTE, Map.of("nlv6ah", 81)::get).orElseThrow();
		assertThat(route.interfaceName()).isEqualTo("nlv6ah");
		assertThat(route.router().getHostAddress()).isEqualTo("fe80:0:0:0:0:0:0:1%81");
		assertThat(route.router().getScopeId()).isEqualTo(81);
	}

	@Test
	void unreachableDefaultRouteOnLoopbackIsNoRoute() {
		// What a host without IPv6 connectivity has: the kernel's "unreachable" default on lo.
		String table = """
				00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
				""";
		assertThat(Ipv6Host.parseIpv6Route(table, (name) -> 1)).isEmpty();
	}

	@Test
	void lowestMetricWinsAndAGlobalRouterNeedsNoScope() {
		String table = """
				00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000003 00000000 00000003   wlan0
				00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000200000000000000000001 00000064 00000003 00000000 00000003   eth0
				""";
		Ipv6Host.Ipv6Route route = Ipv6Host.parseIpv6Route(table, (name) -> null).orElseThrow();
		assertThat(route.interfaceName()).isEqualTo("eth0");
		assertThat(route.router()).isInstanceOf(Inet6Address.class);
		assertThat(route.router().getHostAddress()).isEqualTo("2001:db8:2:0:0:0:0:1");
	}

	@Test
	void linkLocalRouterOnAnUnknownInterfaceIsSkipped() {
		assertThat(Ipv6Host.parseIpv6Route(IPV6_ROUTE, (name) -> null)).isEmpty();
	}

	@Test
	void hostileTablesGiveNothing() {
		assertThat(Ipv6Host.parseIfInet6("zz" + "0".repeat(30) + " 01 40 00 00 eth0\n\n \t\n")).isEmpty();
		assertThat(Ipv6Host.parseIpv6Route("0".repeat(32) + " 00 short", (name) -> 1)).isEmpty();
		assertThat(Ipv6Host.parseIpv6Route("x".repeat(100_000), (name) -> 1)).isEmpty();
	}

}
