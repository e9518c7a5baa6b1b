package dev.natboot.core.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.natboot.core.IpLiteral;

/**
 * Finds this host's default IPv4 gateway by reading the routing table: {@code /proc/net/route} on Linux, then
 * the output of {@code ip route}, {@code netstat -rn} or {@code route print} where those exist. Never sends a
 * packet. Parsing is separate from reading so it can be tested with recorded tables.
 */
public final class GatewayDiscovery {

	private static final System.Logger logger = System.getLogger(GatewayDiscovery.class.getName());

	private static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");

	private static final long COMMAND_TIMEOUT_MILLIS = 2000;

	private static final int MAX_COMMAND_OUTPUT = 256 * 1024;

	/** More default routes than any host has: a table that lists more is not believed further. */
	private static final int MAX_ROUTES = 16;

	private static final int RTF_UP = 0x1;

	private static final int RTF_GATEWAY = 0x2;

	private static final Pattern IP_ROUTE_DEFAULT = Pattern.compile("(?m)^default via (\\d{1,3}(?:\\.\\d{1,3}){3})\\b");

	private static final Pattern NETSTAT_DEFAULT = Pattern
		.compile("(?m)^(?:default|0\\.0\\.0\\.0)\\s+(\\d{1,3}(?:\\.\\d{1,3}){3})\\s");

	private static final Pattern ROUTE_PRINT_DEFAULT = Pattern
		.compile("(?m)^\\s*0\\.0\\.0\\.0\\s+0\\.0\\.0\\.0\\s+(\\d{1,3}(?:\\.\\d{1,3}){3})\\s");

	private GatewayDiscovery() {
	}

	/**
	 * The default IPv4 gateway of this host.
	 * @return the gateway, empty if the routing table has no default route
	 */
	public static Optional<InetAddress> defaultGateway() {
		if (Files.isReadable(PROC_NET_ROUTE)) {
			try {
				return parseProcNetRoute(Files.readString(PROC_NET_ROUTE, StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Cannot read " + PROC_NET_ROUTE, ex);
			}
		}
		Optional<InetAddress> fromIp = run(List.of("ip", "-4", "route", "show", "default"))
			.flatMap((output) -> first(IP_ROUTE_DEFAULT, output));
		if (fromIp.isPresent()) {
			return fromIp;
		}
		Optional<InetAddress> fromNetstat = run(List.of("netstat", "-rn"))
			.flatMap((output) -> first(NETSTAT_DEFAULT, output));
		if (fromNetstat.isPresent()) {
			return fromNetstat;
		}
		return run(List.of("route", "print", "-4")).flatMap((output) -> first(ROUTE_PRINT_DEFAULT, output));
	}

	/**
	 * Every default IPv4 route through a router, best metric first: a host with a VPN or several networks has more
	 * than one, and the one with the lowest metric (a VPN's) may lead to no router that maps. Linux only; elsewhere
	 * the one {@link #defaultGateway()} finds, its interface unknown.
	 * @return the routes, empty without a default route
	 */
	public static List<DefaultRoute> defaultRoutes() {
		if (Files.isReadable(PROC_NET_ROUTE)) {
			try {
				return parseDefaultRoutes(Files.readString(PROC_NET_ROUTE, StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Cannot read " + PROC_NET_ROUTE, ex);
			}
		}
		return defaultGateway().map((gateway) -> List.of(new DefaultRoute(gateway, "", 0))).orElse(List.of());
	}

	/**
	 * Every usable route to 0.0.0.0/0 via a gateway in the text of Linux's {@code /proc/net/route}, lowest metric
	 * first (a route without a gateway, such as a WireGuard interface's, has no router to ask and is left out).
	 * @param table the file's content
	 * @return the routes
	 */
	public static List<DefaultRoute> parseDefaultRoutes(String table) {
		List<DefaultRoute> routes = new ArrayList<>();
		for (String line : table.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length < 8 || fields[0].equals("Iface")) {
				continue;
			}
			try {
				long destination = Long.parseLong(fields[1], 16);
				long gateway = Long.parseLong(fields[2], 16);
				int flags = Integer.parseInt(fields[3], 16);
				long metric = Long.parseLong(fields[6]);
				long mask = Long.parseLong(fields[7], 16);
				boolean usable = (flags & (RTF_UP | RTF_GATEWAY)) == (RTF_UP | RTF_GATEWAY);
				if (destination == 0 && mask == 0 && gateway != 0 && usable && routes.size() < MAX_ROUTES) {
					InetAddress address = Inet4Address.getByAddress(new byte[] { (byte) gateway, (byte) (gateway >> 8),
							(byte) (gateway >> 16), (byte) (gateway >> 24) });
					if (routes.stream().noneMatch((route) -> route.gateway().equals(address))) {
						routes.add(new DefaultRoute(address, fields[0], metric));
					}
				}
			}
			catch (NumberFormatException | UnknownHostException ex) {
				// A line we do not understand is not a default route.
			}
		}
		routes.sort(Comparator.comparingLong(DefaultRoute::metric));
		return List.copyOf(routes);
	}

	/**
	 * Picks the default gateway from the text of Linux's {@code /proc/net/route}: the usable route to 0.0.0.0/0
	 * via a gateway with the lowest metric.
	 * @param table the file's content
	 * @return the gateway, empty if there is no default route
	 */
	public static Optional<InetAddress> parseProcNetRoute(String table) {
		return parseDefaultRoutes(table).stream().findFirst().map(DefaultRoute::gateway);
	}

	/**
	 * Picks the default gateway from the output of {@code ip -4 route show default}.
	 * @param output the command's output
	 * @return the gateway
	 */
	public static Optional<InetAddress> parseIpRoute(String output) {
		return first(IP_ROUTE_DEFAULT, output);
	}

	/**
	 * Picks the default gateway from the output of {@code netstat -rn} (BSD, macOS, Linux net-tools).
	 * @param output the command's output
	 * @return the gateway
	 */
	public static Optional<InetAddress> parseNetstat(String output) {
		return first(NETSTAT_DEFAULT, output);
	}

	/**
	 * Picks the default gateway from the output of Windows' {@code route print -4}.
	 * @param output the command's output
	 * @return the gateway
	 */
	public static Optional<InetAddress> parseRoutePrint(String output) {
		return first(ROUTE_PRINT_DEFAULT, output);
	}

	private static Optional<InetAddress> first(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			Optional<InetAddress> address = ipv4(matcher.group(1));
			if (address.isPresent()) {
				return address;
			}
		}
		return Optional.empty();
	}

	private static Optional<InetAddress> ipv4(String dotted) {
		return Optional.ofNullable(IpLiteral.parseIpv4(dotted)).filter((address) -> !address.isAnyLocalAddress());
	}

	private static Optional<String> run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.PIPE)
				.start();
			process.getOutputStream().close();
			byte[] output;
			try (InputStream in = process.getInputStream()) {
				output = in.readNBytes(MAX_COMMAND_OUTPUT);
			}
			if (!process.waitFor(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return Optional.empty();
			}
			return Optional.of(new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return Optional.empty(); // the command does not exist here
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/**
	 * A default route.
	 *
	 * @param gateway the router it goes through
	 * @param interfaceName the interface it leaves by, empty when unknown
	 * @param metric its metric: the lowest is the kernel's choice
	 */
	public record DefaultRoute(InetAddress gateway, String interfaceName, long metric) {

		@Override
		public String toString() {
			return this.gateway.getHostAddress() + (this.interfaceName.isEmpty() ? "" : " on " + this.interfaceName)
					+ " (metric " + this.metric + ")";
		}

	}

}
