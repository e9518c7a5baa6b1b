package dev.natboot.core.gateway;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * What this host has of IPv6 to reach the internet: its default IPv6 router and the address to open a firewall
 * pinhole for. The address is a stable one: privacy extensions (RFC 8981) give a host temporary addresses that
 * the kernel prefers for outgoing connections and retires within a day, so a pinhole for one would stop working
 * when it is replaced, and a router that checks the requester's address (miniupnpd does) refuses a pinhole
 * asked for from one address for another. Linux's {@code /proc/net/if_inet6} tells them apart by their flags;
 * elsewhere only the interfaces' addresses are known, and the first global one is taken. Never sends a packet.
 */
public final class Ipv6Host {

	private static final System.Logger logger = System.getLogger(Ipv6Host.class.getName());

	private static final Path IF_INET6 = Path.of("/proc/net/if_inet6");

	private static final Path IPV6_ROUTE = Path.of("/proc/net/ipv6_route");

	private static final int MAX_TABLE_LENGTH = 1024 * 1024;

	/** IFA_F_TEMPORARY: a privacy address. */
	static final int TEMPORARY = 0x01;

	/** IFA_F_DADFAILED: another host has it. */
	static final int DAD_FAILED = 0x08;

	/** IFA_F_DEPRECATED: its preferred lifetime is over; it must not be used for new connections. */
	static final int DEPRECATED = 0x20;

	/** IFA_F_TENTATIVE: duplicate address detection is not over. */
	static final int TENTATIVE = 0x40;

	/** IFA_F_PERMANENT: configured by hand, not by router advertisements. */
	static final int PERMANENT = 0x80;

	private static final int RTF_GATEWAY = 0x2;

	private static final int RTF_UP = 0x1;

	/** Scope values in {@code /proc/net/if_inet6} (IPV6_ADDR_SCOPE_MASK bits). */
	private static final int SCOPE_GLOBAL = 0x00;

	private Ipv6Host() {
	}

	/**
	 * The default IPv6 route of this host.
	 * @return the route, empty when there is none (no IPv6 to the internet)
	 */
	public static Optional<Ipv6Route> defaultRoute() {
		// Each interface looked up once: the JVM's first lookup of one costs milliseconds.
		Map<String, Optional<NetworkInterface>> interfaces = new HashMap<>();
		Function<String, Optional<NetworkInterface>> lookup = (name) -> interfaces.computeIfAbsent(name,
				Ipv6Host::networkInterface);
		return read(IPV6_ROUTE)
			.flatMap((table) -> parseIpv6Route(table,
					(name) -> lookup.apply(name).map(NetworkInterface::getIndex).orElse(null)))
			.map((route) -> named(route, lookup.apply(route.interfaceName())));
	}

	/** The router's zone by its interface's name rather than its index, as people and logs read it. */
	private static Ipv6Route named(Ipv6Route route, Optional<NetworkInterface> network) {
		if (route.router().getScopeId() == 0 || network.isEmpty()) {
			return route;
		}
		try {
			return new Ipv6Route(Inet6Address.getByAddress(null, route.router().getAddress(), network.get()),
					route.interfaceName());
		}
		catch (UnknownHostException ex) {
			return route;
		}
	}

	/**
	 * The address a pinhole is opened for: the stable global address on the default IPv6 route's interface (or
	 * any interface when there is no such route), never a temporary, deprecated, tentative or duplicate one.
	 * @param interfaceName the interface to prefer, {@code null} for none
	 * @return the address, empty when this host has no stable global IPv6 address
	 */
	public static Optional<Inet6Address> stableAddress(@Nullable String interfaceName) {
		Optional<String> table = read(IF_INET6);
		if (table.isPresent()) {
			return parseIfInet6(table.get()).stream()
				.filter(HostAddress::stableGlobal)
				.min(preferring(interfaceName))
				.map(HostAddress::address);
		}
		return fromInterfaces(interfaceName);
	}

	/**
	 * The IPv6 addresses of this host that are on their way out or not yet usable (deprecated, tentative, or
	 * whose duplicate address detection failed), as Linux's {@code /proc/net/if_inet6} flags them: no peer should
	 * be offered them. Empty where the file does not exist.
	 * @return the addresses
	 */
	public static java.util.Set<InetAddress> unusableAddresses() {
		java.util.Set<InetAddress> unusable = new java.util.HashSet<>();
		read(IF_INET6).ifPresent((table) -> {
			for (HostAddress address : parseIfInet6(table)) {
				if ((address.flags() & (DEPRECATED | TENTATIVE | DAD_FAILED)) != 0) {
					unusable.add(address.address());
				}
			}
		});
		return unusable;
	}

	/**
	 * Reads the addresses of Linux's {@code /proc/net/if_inet6}: address, interface index, prefix length, scope,
	 * flags, interface name per line, all hexadecimal but the name.
	 * @param table the file's content
	 * @return every address it lists, lines it does not understand left out
	 */
	public static List<HostAddress> parseIfInet6(String table) {
		List<HostAddress> addresses = new ArrayList<>();
		for (String line : table.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length < 6 || fields[0].length() != 32) {
				continue;
			}
			try {
				byte[] bytes = hex(fields[0]);
				int scope = Integer.parseInt(fields[3], 16);
				int flags = Integer.parseInt(fields[4], 16);
				InetAddress address = InetAddress.getByAddress(bytes);
				if (address instanceof Inet6Address v6) {
					addresses.add(new HostAddress(v6, fields[5], scope, flags));
				}
			}
			catch (NumberFormatException | UnknownHostException ex) {
				// not an address line
			}
		}
		return addresses;
	}

	/**
	 * Picks the default route from Linux's {@code /proc/net/ipv6_route}: destination, prefix length, source,
	 * source prefix length, next hop, metric, reference count, use count, flags, interface, per line.
	 * @param table the file's content
	 * @param interfaceIndex the index of an interface by name, to scope a link-local next hop
	 * @return the usable route to ::/0 through a router with the lowest metric
	 */
	public static Optional<Ipv6Route> parseIpv6Route(String table, Function<String, Integer> interfaceIndex) {
		Ipv6Route best = null;
		long bestMetric = Long.MAX_VALUE;
		for (String line : table.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length < 10 || fields[0].length() != 32 || fields[4].length() != 32) {
				continue;
			}
			try {
				boolean toAnywhere = Integer.parseInt(fields[1], 16) == 0 && fields[0].chars().allMatch((c) -> c == '0');
				long metric = Long.parseLong(fields[5], 16);
				int flags = Integer.parseInt(fields[8], 16);
				boolean viaRouter = (flags & (RTF_UP | RTF_GATEWAY)) == (RTF_UP | RTF_GATEWAY);
				String device = fields[9];
				if (!toAnywhere || !viaRouter || metric >= bestMetric || device.equals("lo")) {
					continue;
				}
				byte[] hop = hex(fields[4]);
				boolean linkLocal = (hop[0] & 0xff) == 0xfe && (hop[1] & 0xc0) == 0x80;
				Integer index = linkLocal ? interfaceIndex.apply(device) : null;
				if (linkLocal && index == null) {
					continue; // a link-local router is only reachable through its interface
				}
				Inet6Address router = (index != null) ? Inet6Address.getByAddress(null, hop, index)
						: (Inet6Address) InetAddress.getByAddress(hop);
				best = new Ipv6Route(router, device);
				bestMetric = metric;
			}
			catch (NumberFormatException | UnknownHostException | ClassCastException ex) {
				// not a route line
			}
		}
		return Optional.ofNullable(best);
	}

	private static Comparator<HostAddress> preferring(@Nullable String interfaceName) {
		return Comparator.<HostAddress>comparingInt((address) -> address.interfaceName().equals(interfaceName) ? 0 : 1)
			// A hand-configured address outlives one from router advertisements.
			.thenComparingInt((address) -> ((address.flags() & PERMANENT) != 0) ? 0 : 1)
			.thenComparing((address) -> address.address().getHostAddress());
	}

	private static Optional<Inet6Address> fromInterfaces(@Nullable String interfaceName) {
		try {
			List<Inet6Address> found = new ArrayList<>();
			for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
				if (!network.isUp() || network.isLoopback()) {
					continue;
				}
				boolean preferred = network.getName().equals(interfaceName);
				network.inetAddresses()
					.filter((address) -> address instanceof Inet6Address && isGlobalUnicast(address))
					.map(Inet6Address.class::cast)
					.forEach((address) -> found.add(preferred ? 0 : found.size(), address));
			}
			return found.stream().findFirst();
		}
		catch (SocketException ex) {
			return Optional.empty();
		}
	}

	/** 2000::/3: the only IPv6 addresses the internet routes. */
	static boolean isGlobalUnicast(InetAddress address) {
		byte[] bytes = address.getAddress();
		return bytes.length == 16 && (bytes[0] & 0xe0) == 0x20;
	}

	private static Optional<NetworkInterface> networkInterface(String name) {
		try {
			return Optional.ofNullable(NetworkInterface.getByName(name));
		}
		catch (SocketException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> read(Path file) {
		if (!Files.isReadable(file)) {
			return Optional.empty();
		}
		try {
			byte[] content = Files.readAllBytes(file);
			return (content.length > MAX_TABLE_LENGTH) ? Optional.empty()
					: Optional.of(new String(content, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Cannot read " + file, ex);
			return Optional.empty();
		}
	}

	private static byte[] hex(String digits) {
		byte[] bytes = new byte[digits.length() / 2];
		for (int i = 0; i < bytes.length; i++) {
			int high = Character.digit(digits.charAt(2 * i), 16);
			int low = Character.digit(digits.charAt(2 * i + 1), 16);
			if (high < 0 || low < 0) {
				throw new NumberFormatException(digits);
			}
			bytes[i] = (byte) ((high << 4) | low);
		}
		return bytes;
	}

	/**
	 * An IPv6 address of this host.
	 *
	 * @param address the address
	 * @param interfaceName the interface it is on
	 * @param scope the kernel's scope value (0 global, 0x20 link, 0x10 host)
	 * @param flags the kernel's IFA_F_ flags
	 */
	public record HostAddress(Inet6Address address, String interfaceName, int scope, int flags) {

		/**
		 * Whether a pinhole for it lasts: global, routed by the internet, neither temporary nor on its way out.
		 * @return true if it is the kind of address to open a pinhole for
		 */
		public boolean stableGlobal() {
			return this.scope == SCOPE_GLOBAL && isGlobalUnicast(this.address)
					&& (this.flags & (TEMPORARY | DEPRECATED | TENTATIVE | DAD_FAILED)) == 0;
		}

		/** @return whether privacy extensions made it */
		public boolean temporary() {
			return (this.flags & TEMPORARY) != 0;
		}

	}

	/**
	 * The default IPv6 route.
	 *
	 * @param router the next hop, scoped to its interface when link-local (as router advertisements give it)
	 * @param interfaceName the interface the route goes out of
	 */
	public record Ipv6Route(Inet6Address router, String interfaceName) {

	}

}
