package dev.natboot.spring.shield;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * What counts as "this host's own networks" for the management shield: loopback, link-local, private (RFC 1918)
 * and unique-local (fc00::/7) addresses, this host's own addresses, and the subnets of its interfaces that are
 * not globally reachable (RFC 6890: a home LAN on a documentation or shared range counts; a cloud host's public
 * /24 does not, or every neighbour there would be "local"). Interfaces are read again at most every 30 s, as
 * addresses come and go (DHCP, a VPN).
 */
public class LocalNetworks {

	private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);

	private volatile List<Subnet> subnets = List.of();

	private volatile long readNanos = System.nanoTime() - 2 * REFRESH_NANOS;

	/**
	 * Whether a client at this address is on a local network.
	 * @param address the client's address
	 * @return true for a local address
	 */
	public boolean isLocal(InetAddress address) {
		if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
				|| isUniqueLocal(address)) {
			return true;
		}
		for (Subnet subnet : subnets()) {
			if (subnet.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The subnets counted as local besides the fixed ranges; overridable for tests.
	 * @return the current subnets
	 */
	protected List<Subnet> subnets() {
		long now = System.nanoTime();
		if (now - this.readNanos > REFRESH_NANOS) {
			this.subnets = readInterfaces();
			this.readNanos = now;
		}
		return this.subnets;
	}

	private static List<Subnet> readInterfaces() {
		List<Subnet> found = new ArrayList<>();
		try {
			// Down interfaces too: a LAN link without carrier keeps its addresses, and a request from this host to
			// one of them is still a request from this host.
			for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				for (InterfaceAddress address : candidate.getInterfaceAddresses()) {
					InetAddress own = address.getAddress();
					// The host itself is local whatever its address; its subnet only when not on the internet.
					found.add(new Subnet(own, (own instanceof Inet4Address) ? 32 : 128));
					if (!isGloballyReachable(own)) {
						found.add(new Subnet(own, address.getNetworkPrefixLength()));
					}
				}
			}
		}
		catch (IOException ex) {
			// No interfaces to read: the fixed ranges still count.
		}
		return List.copyOf(found);
	}

	static boolean isUniqueLocal(InetAddress address) {
		byte[] bytes = address.getAddress();
		return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
	}

	/**
	 * Whether an address is globally reachable as RFC 6890's registries say: not private, shared (100.64/10),
	 * documentation, benchmarking or otherwise reserved.
	 */
	static boolean isGloballyReachable(InetAddress address) {
		if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress() || isUniqueLocal(address)) {
			return false;
		}
		byte[] b = address.getAddress();
		if (b.length == 4) {
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			int third = b[2] & 0xff;
			return !(first == 0 || first >= 240 || (first == 100 && (second & 0xc0) == 64)
					|| (first == 192 && second == 0 && (third == 0 || third == 2))
					|| (first == 198 && (second & 0xfe) == 18) || (first == 198 && second == 51 && third == 100)
					|| (first == 203 && second == 0 && third == 113));
		}
		// 2001:db8::/32 documentation
		return !((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8);
	}

	/**
	 * An address block.
	 *
	 * @param network any address in it
	 * @param prefixLength its prefix length
	 */
	public record Subnet(InetAddress network, int prefixLength) {

		boolean contains(@Nullable InetAddress address) {
			if (address == null) {
				return false;
			}
			byte[] a = this.network.getAddress();
			byte[] b = address.getAddress();
			if (a.length != b.length) {
				return false;
			}
			int bits = Math.max(0, Math.min(this.prefixLength, a.length * 8));
			for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
				int mask = (bits >= 8) ? 0xff : (0xff << (8 - bits)) & 0xff;
				if ((a[i] & mask) != (b[i] & mask)) {
					return false;
				}
			}
			return true;
		}

	}

}
