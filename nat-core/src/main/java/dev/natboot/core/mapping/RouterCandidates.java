package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.gateway.GatewayDiscovery.DefaultRoute;
import org.jspecify.annotations.Nullable;

/**
 * The routers worth probing: the one the mode names, or the router of every default IPv4 route, best metric
 * first. A host with a VPN often has a default route through the VPN with a better metric than the LAN's, and
 * nothing that maps behind it; probing only the kernel's choice then finds no router at all, which is the most
 * common "UPnP not detected" on such hosts. Probed together, the best metric that answers wins, so a silent VPN
 * costs the LAN's router a grace of at most 50 ms ({@link ProbeRace}).
 */
final class RouterCandidates {

	private static final System.Logger logger = System.getLogger(RouterCandidates.class.getName());

	private RouterCandidates() {
	}

	/**
	 * The candidates.
	 * @param mode the mode; a gateway it names is the only candidate
	 * @param routes the default routes, best metric first
	 * @param networkInterface the only interface whose route counts, {@code null} for any
	 * @return at least one candidate
	 * @throws NatException if there is none
	 */
	static List<DefaultRoute> of(NatMode mode, Supplier<List<DefaultRoute>> routes, @Nullable String networkInterface)
			throws NatException {
		InetSocketAddress configured = mode.gateway();
		if (configured != null) {
			return List.of(new DefaultRoute(configured.getAddress(), "", 0));
		}
		List<DefaultRoute> all = routes.get();
		if (networkInterface == null) {
			if (all.isEmpty()) {
				throw new NatException(NatErrorKind.NO_GATEWAY, null, "No default IPv4 gateway in the routing table; "
						+ "set nat.mode to pcp:GATEWAY, pmp:GATEWAY or upnp:GATEWAY");
			}
			return all;
		}
		List<DefaultRoute> pinned = all.stream().filter((route) -> route.interfaceName().equals(networkInterface)).toList();
		if (pinned.isEmpty()) {
			throw new NatException(NatErrorKind.NO_GATEWAY, null, "No default IPv4 route on interface " + networkInterface
					+ " (nat.interface)" + (all.isEmpty() ? "" : "; default routes: " + describe(all))
					+ "; set nat.mode to pcp:GATEWAY, pmp:GATEWAY or upnp:GATEWAY for a router on another route");
		}
		return pinned;
	}

	/**
	 * Says which router was chosen and why, when there was a choice.
	 * @param candidates every candidate
	 * @param chosen the router that won
	 */
	static void chosen(List<DefaultRoute> candidates, InetAddress chosen) {
		if (candidates.size() < 2) {
			return;
		}
		DefaultRoute route = candidates.stream().filter((candidate) -> candidate.gateway().equals(chosen)).findFirst()
			.orElse(null);
		List<DefaultRoute> others = candidates.stream().filter((candidate) -> candidate != route).toList();
		logger.log(Level.INFO, () -> "Several default routes: mapping on the router " + ((route != null) ? route
				: chosen.getHostAddress()) + ", the best by metric that answers; not on " + describe(others)
				+ ((route == candidates.get(0)) ? "" : ", whose router did not answer (a VPN?)")
				+ "; nat.interface pins the interface");
	}

	private static String describe(List<DefaultRoute> routes) {
		return routes.stream().map(DefaultRoute::toString).collect(Collectors.joining(", "));
	}

}
