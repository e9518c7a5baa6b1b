package dev.natboot.core.gateway;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells when this host is a container behind a bridge: its default gateway is then the container host, which
 * maps nothing, and every protocol finds no router. Docker's bridges hand out 172.17.0.0/16 (the default one) to
 * 172.31.0.0/16 with the host at .1, Podman's 10.88.0.0/16; a container runtime also leaves a mark
 * ({@code /.dockerenv}, {@code /run/.containerenv}, its name in {@code /proc/1/cgroup}). Reads files only.
 */
public final class ContainerBridge {

	private static final Path[] MARKERS = { Path.of("/.dockerenv"), Path.of("/run/.containerenv") };

	private static final Path INIT_CGROUP = Path.of("/proc/1/cgroup");

	private static final int MAX_CGROUP_LENGTH = 64 * 1024;

	private ContainerBridge() {
	}

	/**
	 * What the gateway looks like, when it looks like a container host.
	 * @param gateway the default gateway, which answered no mapping protocol
	 * @return a description ("Docker's default bridge"), empty when nothing says so
	 */
	public static Optional<String> describe(InetAddress gateway) {
		Optional<String> byAddress = byAddress(gateway);
		if (byAddress.isPresent()) {
			return byAddress;
		}
		return inContainer() ? Optional.of("a container network") : Optional.empty();
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

	private static boolean inContainer() {
		for (Path marker : MARKERS) {
			if (Files.exists(marker)) {
				return true;
			}
		}
		try {
			if (Files.isReadable(INIT_CGROUP) && Files.size(INIT_CGROUP) < MAX_CGROUP_LENGTH) {
				String cgroup = Files.readString(INIT_CGROUP, StandardCharsets.US_ASCII);
				return cgroup.contains("docker") || cgroup.contains("containerd") || cgroup.contains("kubepods")
						|| cgroup.contains("libpod");
			}
		}
		catch (IOException | RuntimeException ex) {
			// unreadable: no sign either way
		}
		return false;
	}

}
