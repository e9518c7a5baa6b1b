package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.gateway.Ipv6Host;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.pcp.PcpClient;
import dev.natboot.core.upnp.IgdDescriptionParser;
import dev.natboot.core.upnp.IgdService;
import dev.natboot.core.upnp.SoapResponse;
import dev.natboot.core.upnp.SsdpSearch;
import dev.natboot.core.upnp.UpnpClient;
import org.jspecify.annotations.Nullable;

/**
 * Chooses how to open IPv6 firewall pinholes: PCP over IPv6 to the default IPv6 router (RFC 6887 MAP for the
 * host's own address: no translation, the firewall lets the port in), or UPnP IGD v2's WANIPv6FirewallControl,
 * raced like the IPv4 protocols in mode {@code any} (PCP preferred). The requests are sent from the host's
 * stable address, which is the one the pinhole opens, whatever address the kernel would prefer. When that
 * address changes (renumbering, a new prefix), the next selection starts over from the new one. Runs on the
 * engine's loop thread only.
 */
final class PinholeSelector extends MapperSelection {

	private static final System.Logger logger = System.getLogger(PinholeSelector.class.getName());

	private final NatMode mode;

	private final Supplier<Optional<Ipv6Host.Ipv6Route>> routes;

	private final Function<@Nullable String, Optional<Inet6Address>> stableAddresses;

	private final NatEventLoop loop;

	private final Retransmission retransmission;

	private final IgnoredDatagrams ignored;

	private final ServerEpoch epoch;

	private final int ssdpPort;

	/** The address the selection sends from and opens pinholes for. */
	private volatile @Nullable Inet6Address address;

	private @Nullable String interfaceName;

	/** The IPv4 router the engine maps on, as configured or discovered. */
	private final Supplier<Optional<InetAddress>> ipv4Gateway;

	/**
	 * Creates a selector.
	 * @param mode the mode: {@code any} and {@code pcp} open pinholes with PCP
	 * @param ipv4Gateway the IPv4 router, as the mode names it or the routing table tells
	 * @param routes the host's default IPv6 route
	 * @param stableAddresses the host's stable global address, preferring the interface named
	 * @param stateLost told when the router's epoch shows it lost its pinholes
	 * @param ssdpPort the router's SSDP port, for UPnP
	 */
	PinholeSelector(NatMode mode, Supplier<Optional<InetAddress>> ipv4Gateway,
			Supplier<Optional<Ipv6Host.Ipv6Route>> routes,
			Function<@Nullable String, Optional<Inet6Address>> stableAddresses, NatEventLoop loop,
			Retransmission retransmission, IgnoredDatagrams ignored, Runnable stateLost, int ssdpPort) {
		this.ssdpPort = ssdpPort;
		this.mode = mode;
		this.ipv4Gateway = ipv4Gateway;
		this.routes = routes;
		this.stableAddresses = stableAddresses;
		this.loop = loop;
		this.retransmission = retransmission;
		this.ignored = ignored;
		this.epoch = new ServerEpoch(stateLost);
	}

	/**
	 * Whether a mode opens pinholes at all: NAT-PMP has no IPv6, and the modes without a router have no firewall
	 * to ask.
	 * @param mode the mode
	 * @return true for {@code any}, {@code pcp} and {@code upnp}
	 */
	static boolean opensPinholes(NatMode mode) {
		return mode.kind() == NatMode.Kind.ANY || mode.kind() == NatMode.Kind.PCP || mode.kind() == NatMode.Kind.UPNP;
	}

	/**
	 * The address pinholes are for, once a selection has chosen it.
	 * @return the address, {@code null} before
	 */
	@Nullable Inet6Address address() {
		return this.address;
	}

	/**
	 * Whether the host's stable address is no longer the one the pinholes were opened for; if so, the mapper in
	 * use is dropped, so that the next selection starts from the new address.
	 * @return true if the address changed
	 */
	boolean addressChanged() {
		Inet6Address current = this.address;
		if (current == null) {
			return false;
		}
		Optional<Inet6Address> now = this.stableAddresses.apply(this.interfaceName);
		if (now.isPresent() && now.get().equals(current)) {
			return false;
		}
		// The old pinholes cannot be deleted from an address this host no longer uses: they end with their lease.
		logger.log(Level.INFO, () -> "This host's stable IPv6 address changed from " + IpLiteral.format(current) + " to "
				+ now.map(IpLiteral::format).orElse("none") + ": opening the IPv6 pinholes again");
		this.address = null;
		reset();
		return true;
	}

	/**
	 * Whether there is a default IPv6 route and a stable global address on its interface.
	 * @return true if a selection could start
	 */
	boolean possible() {
		return !testRouter()
				&& this.routes.get().flatMap((route) -> this.stableAddresses.apply(route.interfaceName())).isPresent();
	}

	/**
	 * An IPv4 router on loopback is a test's fake one: pinholes would go to this host's real IPv6 router, which
	 * nothing in a test may ask.
	 */
	private boolean testRouter() {
		InetSocketAddress configured = this.mode.gateway();
		if (configured != null) {
			// A configured IPv6 server is asked itself, wherever it is.
			return configured.getAddress() instanceof Inet4Address && configured.getAddress().isLoopbackAddress();
		}
		return this.ipv4Gateway.get().map(InetAddress::isLoopbackAddress).orElse(false);
	}

	@Override
	public void discard(PortMapper mapper) {
		forget(mapper);
	}

	@Override
	CompletableFuture<PortMapper> start() throws NatException {
		if (!opensPinholes(this.mode) || testRouter()) {
			throw new NatException(NatErrorKind.UNSUPPORTED_OPERATION, null,
					"Mode " + this.mode + " opens no IPv6 pinholes here");
		}
		Ipv6Host.Ipv6Route route = this.routes.get()
			.orElseThrow(() -> new NatException(NatErrorKind.NO_GATEWAY, NatProtocol.PCP, "No default IPv6 route"));
		Inet6Address local = this.stableAddresses.apply(route.interfaceName())
			.orElseThrow(() -> new NatException(NatErrorKind.NO_GATEWAY, NatProtocol.PCP,
					"No stable global IPv6 address on " + route.interfaceName()));
		InetSocketAddress configured = this.mode.gateway();
		InetSocketAddress server = (configured != null && configured.getAddress() instanceof Inet6Address) ? configured
				: new InetSocketAddress(route.router(), NatMode.PCP_PORT);
		this.address = local;
		this.interfaceName = route.interfaceName();
		logger.log(Level.DEBUG, () -> "IPv6 pinholes for " + IpLiteral.format(local) + " through "
				+ IpLiteral.format(server.getAddress()));
		return switch (this.mode.kind()) {
			case PCP -> pcp(server, local);
			case UPNP -> upnp(server.getAddress(), local);
			default -> race(server, local);
		};
	}

	/**
	 * PCP first; UPnP once PCP failed or was silent for {@link PortMapperSelector#FALLBACK_DELAY}, as in the IPv4
	 * race: on a PCP router the SSDP search, description and SOAP exchange are never made.
	 */
	private CompletableFuture<PortMapper> race(InetSocketAddress server, Inet6Address local) {
		CompletableFuture<PortMapper> pcp = pcp(server, local);
		CompletableFuture<@Nullable Void> fallback = new CompletableFuture<>();
		pcp.whenComplete((mapper, failure) -> {
			if (failure != null) {
				fallback.complete(null);
			}
		});
		NatEventLoop.Timer delay = this.loop.scheduleNanos(() -> fallback.complete(null),
				PortMapperSelector.FALLBACK_DELAY.toNanos());
		pcp.thenRun(delay::cancel);
		CompletableFuture<PortMapper> upnp = fallback.thenCompose((ignored) -> upnp(server.getAddress(), local));
		return new ProbeRace(this.loop, List.of(pcp, upnp), (answered) -> {
		}).winner();
	}

	private CompletableFuture<PortMapper> pcp(InetSocketAddress server, Inet6Address local) {
		PcpClient client;
		try {
			client = new PcpClient(this.loop, local, server, this.retransmission, this.ignored);
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		PcpPortMapper mapper = PcpPortMapper.pinholes(client, this.epoch);
		return client.announce().handle((answer, failure) -> {
			if (failure != null) {
				mapper.close();
				throw new CompletionException(NatException.of(failure, NatProtocol.PCP));
			}
			this.epoch.observe(Objects.requireNonNull(answer).epochSeconds(), System.nanoTime());
			return mapper;
		});
	}

	/**
	 * UPnP: a unicast SSDP search to the router, whose answer may come from its global address on this link, the
	 * description's WANIPv6FirewallControl, and GetFirewallStatus to learn that it lets pinholes in at all.
	 */
	private CompletableFuture<PortMapper> upnp(InetAddress router, Inet6Address local) {
		UpnpClient client = new UpnpClient(this.loop, PortMapperSelector.UPNP_TIMEOUT, local);
		return SsdpSearch.find(this.loop, local, new InetSocketAddress(router, this.ssdpPort),
				PortMapperSelector.SSDP_WINDOW, (from) -> from.equals(router) || onLink(from, local))
			.thenCompose((answer) -> client.fetch(answer.location(), IgdDescriptionParser.MAX_LENGTH)
				.thenApply((xml) -> firewallControl(xml, answer))
				.thenCompose((service) -> client.call(service, "GetFirewallStatus", Map.of()).thenApply((status) -> {
					if (!(status instanceof SoapResponse.Success success)
							|| !"1".equals(String.valueOf(success.argument("InboundPinholeAllowed")).trim())) {
						throw new CompletionException(new NatException(NatErrorKind.NOT_AUTHORIZED, NatProtocol.UPNP,
								"UPnP router " + IpLiteral.format(answer.device()) + " allows no inbound pinholes"));
					}
					return (PortMapper) new UpnpPinholeMapper(client, service, local,
							new InetSocketAddress(answer.device(), answer.location().getPort()));
				})));
	}

	private static IgdService firewallControl(byte[] xml, SsdpSearch.Answer answer) {
		try {
			return IgdDescriptionParser.firewallControl(xml, answer.location(), answer.device())
				.orElseThrow(() -> new CompletionException(new NatException(NatErrorKind.UNSUPPORTED_OPERATION,
						NatProtocol.UPNP, "UPnP router " + IpLiteral.format(answer.device())
								+ " offers no WANIPv6FirewallControl")));
		}
		catch (MalformedMessageException ex) {
			throw new CompletionException(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.UPNP,
					NatException.NO_ROUTER_CODE, ex.getMessage(), ex));
		}
	}

	/** On this link: the same /64 as this host's own address, as a router's LAN address is. */
	private static boolean onLink(InetAddress address, Inet6Address local) {
		byte[] a = address.getAddress();
		byte[] b = local.getAddress();
		if (a.length != 16) {
			return false;
		}
		for (int i = 0; i < 8; i++) {
			if (a[i] != b[i]) {
				return false;
			}
		}
		return true;
	}

}
