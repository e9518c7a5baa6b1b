package dev.natboot.core.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Tells when this host is a container behind a bridge: its default gateway is then the container host, which
 * maps nothing, and every protocol finds no router. Told by the gateway's address only: Docker's bridges hand out
 * 172.17.0.0/16 (the default one) to 172.31.0.0/16 with the host at .1, Podman's 10.88.0.0/16. The marks a
 * runtime leaves ({@code /.dockerenv}, the cgroup of PID 1) are not used: a container with host networking has
 * them too, and its silent router is no bridge.
 */
public final class ContainerBridge {

	private ContainerBridge() {
	}

	/**
	 * What the gateway looks like, when it looks like a container host.
	 * @param gateway the default gateway, which answered no mapping protocol
	 * @return a description ("Docker's default bridge"), empty when nothing says so
	 */
	public static Optional<String> describe(InetAddress gateway) {
		return byAddress(gateway);
	}

	/**
	 * The advice for a container whose gateway is its host.
	 * @param gateway the gateway
	 * @param bridge what {@link #describe(InetAddress)} said
	 * @return what to do
	 */
	public static String advice(InetAddress gateway, String bridge) {
		return "natboot runs behind a container bridge (" + bridge + ": the default gateway " + gateway.getHostAddress()
				+ " is the container host, not a router). Run the container with host networking (network_mode: host), "
				+ "or publish the port (-p 8080:8080) and set nat.mode=pmp:ROUTER, or pcp:ROUTER or upnp:ROUTER with "
				+ "nat.container.host-address=HOST_LAN_ADDRESS (and nat.container.published-port if the host port differs)";
	}

	static Optional<String> byAddress(InetAddress gateway) {
		if (!(gateway instanceof Inet4Address)) {
			return Optional.empty();
		}
		byte[] b = gateway.getAddress();
		int first = b[0] & 0xff;
		int second = b[1] & 0xff;
		boolean hostAtOne = b[2] == 0 && b[3] == 1;
		if (first == 172 && second == 17 && hostAtOne) {
			return Optional.of("Docker's default bridge");
		}
		if (first == 172 && second >= 18 && second <= 31 && hostAtOne) {
			return Optional.of("a Docker network");
		}
		if (first == 10 && second == 88 && hostAtOne) {
			return Optional.of("Podman's default network");
		}
		return Optional.empty();
	}

}
