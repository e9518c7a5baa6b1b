package dev.natboot.core.gateway;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerBridgeTests {

	@Test
	void dockerAndPodmanBridgeGatewaysAreRecognised() throws Exception {
		assertThat(ContainerBridge.byAddress(InetAddress.getByName("172.17.0.1"))).contains("Docker's default bridge");
		assertThat(ContainerBridge.byAddress(InetAddress.getByName("172.20.0.1"))).contains("a Docker network");
		assertThat(ContainerBridge.byAddress(InetAddress.getByName("10.88.0.1"))).contains("Podman's default network");
	}

	@Test
	void homeRoutersAreNot() throws Exception {
		for (String router : new String[] { "192.168.1.1", "10.0.0.1", "172.16.0.1", "172.17.1.1", "172.17.0.254",
				"192.0.2.1" }) {
			assertThat(ContainerBridge.byAddress(InetAddress.getByName(router))).as(router).isEmpty();
		}
		assertThat(ContainerBridge.byAddress(InetAddress.getByName("fe80::1"))).isEmpty();
	}

	@Test
	void theAdviceSaysWhatToDo() throws Exception {
		assertThat(ContainerBridge.advice(InetAddress.getByName("172.17.0.1"), "Docker's default bridge"))
			.contains("172.17.0.1 is the container host", "network_mode: host", "nat.mode=pmp:ROUTER",
					"nat.container.host-address");
	}

}
