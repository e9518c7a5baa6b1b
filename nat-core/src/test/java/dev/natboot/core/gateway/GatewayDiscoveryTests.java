package dev.natboot.core.gateway;

import java.net.InetAddress;

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
