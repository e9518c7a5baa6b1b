package dev.natboot.core.gateway;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayDiscoveryTests {

	@Test
	void picksTheDefaultRouteWithTheLowestMetricFromProcNetRoute() throws Exception {
		String table = """
				Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
				wlan0	00000000	FE01A8C0	0003	0	0	600	00000000	0	0	0
				eth0	00000000	0101A8C0	0003	0	0	100	00000000	0	0	0
				eth0	0001A8C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
				docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
				""";
		assertThat(GatewayDiscovery.parseProcNetRoute(table)).contains(InetAddress.getByName("192.168.1.1"));
	}

	/** The lab's LAN host with --vpn: a full-tunnel VPN's default route has the better metric. */
	@Test
	void listsEveryDefaultRouteThroughARouterBestMetricFirst() throws Exception {
		String table = """
				Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
				nlvp1h	00000000	010200C0	0003	0	0	100	00000000	0	0	0
				nlvp1v	00000000	0100090A	0003	0	0	50	00000000	0	0	0
				wg0	00000000	00000000	0001	0	0	10	00000000	0	0	0
				nlvp1v	0000090A	00000000	0001	0	0	0	00FFFFFF	0	0	0
				nlvp1h	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
				nlvp1x	00000000	010200C0	0003	0	0	200	00000000	0	0	0
				""";
		List<GatewayDiscovery.DefaultRoute> routes = GatewayDiscovery.parseDefaultRoutes(table);
		assertThat(routes).extracting(GatewayDiscovery.DefaultRoute::toString)
			.containsExactly("10.9.0.1 on nlvp1v (metric 50)", "192.0.2.1 on nlvp1h (metric 100)");
		assertThat(GatewayDiscovery.parseProcNetRoute(table)).contains(InetAddress.getByName("10.9.0.1"));
		assertThat(GatewayDiscovery.parseDefaultRoutes("garbage\n" + "x ".repeat(50_000))).isEmpty();
	}

	@Test
	void ignoresRoutesThatAreDownOrDirect() {
		String table = """
				Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
				eth0	00000000	0101A8C0	0002	0	0	100	00000000	0	0	0
				eth0	00000000	00000000	0001	0	0	100	00000000	0	0	0
				garbage line
				""";
		assertThat(GatewayDiscovery.parseProcNetRoute(table)).isEmpty();
		assertThat(GatewayDiscovery.parseProcNetRoute("")).isEmpty();
	}

	@Test
	void parsesCommandOutputs() throws Exception {
		assertThat(GatewayDiscovery.parseIpRoute("default via 192.0.2.1 dev eth0 proto dhcp metric 100\n"))
			.contains(InetAddress.getByName("192.0.2.1"));
		assertThat(GatewayDiscovery.parseNetstat("""
				Routing tables

				Internet:
				Destination        Gateway            Flags        Netif Expire
				default            10.0.0.138         UGScg          en0
				"""))
			.contains(InetAddress.getByName("10.0.0.138"));
		assertThat(GatewayDiscovery.parseRoutePrint("""
				Network Destination        Netmask          Gateway       Interface  Metric
				          0.0.0.0          0.0.0.0      192.168.0.1    192.168.0.23     25
				"""))
			.contains(InetAddress.getByName("192.168.0.1"));
		assertThat(GatewayDiscovery.parseIpRoute("default via 999.1.1.1 dev eth0")).isEmpty();
	}

}
