package dev.natboot.core.mapping;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.natboot.core.NatMode;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.gateway.GatewayDiscovery;
import dev.natboot.core.gateway.Ipv6Host;
import dev.natboot.core.stun.StunClient;
import dev.natboot.core.stun.StunServer;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link MappingEngine}.
 */
public final class MappingEngineBuilder {

	NatMode mode = NatMode.ANY;

	Supplier<List<GatewayDiscovery.DefaultRoute>> defaultRoutes = GatewayDiscovery::defaultRoutes;

	/** The address the router sees this host's requests come from, when it is not this host's own. */
	@Nullable InetAddress internalAddress;

	/** The only interface whose default route may lead to the router, {@code null} for any. */
	@Nullable String networkInterface;

	Retransmission retransmission = Retransmission.LAN;

	Clock clock = Clock.systemUTC();

	RenewalPolicy renewalPolicy = new RenewalPolicy(Duration.ofSeconds(1), Duration.ofMinutes(2));

	String threadName = "nat-engine";

	Duration shutdownTimeout = Duration.ofSeconds(2);

	int ssdpPort = NatMode.SSDP_PORT;

	int announcementPort = MulticastListener.ANNOUNCEMENT_PORT;

	int ssdpNotifyPort = NatMode.SSDP_PORT;

	Duration verificationInterval = Duration.ofMinutes(1);

	Duration warningPause = OutageLog.DEFAULT_REMINDER_PAUSE;

	Duration signalWindow = RemapThrottle.WINDOW;

	@Nullable String inactiveReason;

	@Nullable Path journal;

	List<StunServer> stunServers = List.of();

	Transport stunTransport = Transport.UDP;

	Duration stunCheckInterval = Duration.ofMinutes(10);

	boolean stunBehaviorDiscovery = true;

	Retransmission stunRetransmission = StunClient.WAN;

	final List<MappingListener> listeners = new CopyOnWriteArrayList<>();

	Supplier<Optional<Ipv6Host.Ipv6Route>> ipv6Routes = Ipv6Host::defaultRoute;

	Function<@Nullable String, Optional<Inet6Address>> ipv6Addresses = Ipv6Host::stableAddress;

	Duration ipv6AddressCheckInterval = Duration.ofSeconds(10);

	MappingEngineBuilder() {
	}

	/**
	 * What to use; default {@code any}.
	 * @param mode the mode
	 * @return this builder
	 */
	public MappingEngineBuilder mode(NatMode mode) {
		this.mode = Objects.requireNonNull(mode);
		return this;
	}

	/**
	 * Where the default gateway comes from when the mode names none; default: this host's routing table.
	 * @param gatewayDiscovery supplies the gateway address
	 * @return this builder
	 */
	public MappingEngineBuilder gatewayDiscovery(Supplier<Optional<InetAddress>> gatewayDiscovery) {
		Objects.requireNonNull(gatewayDiscovery);
		this.defaultRoutes = () -> gatewayDiscovery.get()
			.map((gateway) -> List.of(new GatewayDiscovery.DefaultRoute(gateway, "", 0)))
			.orElse(List.of());
		return this;
	}

	/**
	 * Where the default routes come from when the mode names no gateway; default: this host's routing table. With
	 * several (a VPN, several networks), the router of each is probed and the best metric that answers wins.
	 * @param defaultRoutes supplies the default IPv4 routes
	 * @return this builder
	 */
	public MappingEngineBuilder defaultRoutes(Supplier<List<GatewayDiscovery.DefaultRoute>> defaultRoutes) {
		this.defaultRoutes = Objects.requireNonNull(defaultRoutes);
		return this;
	}

	/**
	 * Pins the interface whose default route leads to the router, when the routing table has several and the
	 * right one does not answer first; default: any.
	 * @param networkInterface the interface's name, {@code null} for any
	 * @return this builder
	 */
	public MappingEngineBuilder networkInterface(@Nullable String networkInterface) {
		this.networkInterface = (networkInterface == null || networkInterface.isBlank()) ? null : networkInterface;
		return this;
	}

	/**
	 * The address the router sees this host's requests come from, for a host behind a NAT of its own between it
	 * and the router, such as a container on a bridge whose host masquerades it: PCP requests name it as the
	 * client address (the router refuses any other with ADDRESS_MISMATCH) and UPnP mappings as the internal
	 * client. NAT-PMP needs none. Default: this host's own address toward the router.
	 * @param internalAddress the address, {@code null} for this host's own
	 * @return this builder
	 */
	public MappingEngineBuilder internalAddress(@Nullable InetAddress internalAddress) {
		this.internalAddress = internalAddress;
		return this;
	}

	/** The first default route's router, as the IPv4 side would ask it first. */
	Supplier<Optional<InetAddress>> firstGateway() {
		Supplier<List<GatewayDiscovery.DefaultRoute>> routes = this.defaultRoutes;
		return () -> routes.get().stream().findFirst().map(GatewayDiscovery.DefaultRoute::gateway);
	}

	/**
	 * Where IPv6 pinholes come from: the default IPv6 route (its router is asked with PCP) and this host's stable
	 * global address on an interface (the one pinholes open); default: this host's routing table and addresses.
	 * @param routes supplies the default IPv6 route
	 * @param stableAddresses supplies the stable address, preferring the interface named
	 * @return this builder
	 */
	public MappingEngineBuilder ipv6Discovery(Supplier<Optional<Ipv6Host.Ipv6Route>> routes,
			Function<@Nullable String, Optional<Inet6Address>> stableAddresses) {
		this.ipv6Routes = Objects.requireNonNull(routes);
		this.ipv6Addresses = Objects.requireNonNull(stableAddresses);
		return this;
	}

	/**
	 * How often, while IPv6 pinholes are open, this host's stable address is checked for a change (a new prefix):
	 * the pinholes then follow it; default 10 seconds. Reading the address costs no packet.
	 * @param interval the interval
	 * @return this builder
	 */
	public MappingEngineBuilder ipv6AddressCheckInterval(Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("IPv6 address check interval must be positive");
		}
		this.ipv6AddressCheckInterval = interval;
		return this;
	}

	public MappingEngineBuilder retransmission(Retransmission retransmission) {
		this.retransmission = Objects.requireNonNull(retransmission);
		return this;
	}

	public MappingEngineBuilder clock(Clock clock) {
		this.clock = Objects.requireNonNull(clock);
		return this;
	}

	/**
	 * Backoff after failures: the first wait, doubled after each failure in a row, up to the cap.
	 * @param initial first wait
	 * @param max longest wait
	 * @return this builder
	 */
	public MappingEngineBuilder retryBackoff(Duration initial, Duration max) {
		this.renewalPolicy = new RenewalPolicy(initial, max);
		return this;
	}

	/**
	 * Longest wait for the router in {@link MappingEngine#close()}; default 2 seconds.
	 * @param shutdownTimeout the bound
	 * @return this builder
	 */
	public MappingEngineBuilder shutdownTimeout(Duration shutdownTimeout) {
		if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
			throw new IllegalArgumentException("shutdown timeout must be positive");
		}
		this.shutdownTimeout = shutdownTimeout;
		return this;
	}

	/**
	 * Port of the gateway's SSDP responder that {@code any} mode searches; default 1900. (The {@code upnp}
	 * mode takes it from its specification, {@code upnp:GATEWAY:PORT}.)
	 * @param ssdpPort the port
	 * @return this builder
	 */
	public MappingEngineBuilder ssdpPort(int ssdpPort) {
		if (ssdpPort < 1 || ssdpPort > 65535) {
			throw new IllegalArgumentException("ssdpPort must be between 1 and 65535");
		}
		this.ssdpPort = ssdpPort;
		return this;
	}

	/**
	 * Port on which to hear PCP and NAT-PMP routers announce a restart; default 5350, 0 not to listen.
	 * @param announcementPort the port
	 * @return this builder
	 */
	public MappingEngineBuilder announcementPort(int announcementPort) {
		if (announcementPort < 0 || announcementPort > 65535) {
			throw new IllegalArgumentException("announcementPort must be between 0 and 65535");
		}
		this.announcementPort = announcementPort;
		return this;
	}

	/**
	 * Port on which to hear UPnP routers announce that they stop or start ({@code ssdp:byebye},
	 * {@code ssdp:alive}); default 1900, 0 not to listen.
	 * @param ssdpNotifyPort the port
	 * @return this builder
	 */
	public MappingEngineBuilder ssdpNotifyPort(int ssdpNotifyPort) {
		if (ssdpNotifyPort < 0 || ssdpNotifyPort > 65535) {
			throw new IllegalArgumentException("ssdpNotifyPort must be between 0 and 65535");
		}
		this.ssdpNotifyPort = ssdpNotifyPort;
		return this;
	}

	/**
	 * Longest time a mapping the router dropped without a word may go unnoticed; default 1 minute. Between
	 * renewals, UPnP mappings are checked with GetSpecificPortMappingEntry, PCP and NAT-PMP ones renewed.
	 * @param verificationInterval the interval
	 * @return this builder
	 */
	public MappingEngineBuilder verificationInterval(Duration verificationInterval) {
		if (verificationInterval.isNegative() || verificationInterval.isZero()) {
			throw new IllegalArgumentException("verification interval must be positive");
		}
		this.verificationInterval = verificationInterval;
		return this;
	}

	/**
	 * Longest silence in the log about a mapping that keeps failing: the first failure is a warning, then one
	 * reminder at most per pause, each retry at DEBUG; default 5 minutes.
	 * @param warningPause the pause
	 * @return this builder
	 */
	public MappingEngineBuilder warningPause(Duration warningPause) {
		if (warningPause.isNegative()) {
			throw new IllegalArgumentException("warning pause must not be negative");
		}
		this.warningPause = warningPause;
		return this;
	}

	/**
	 * Makes the engine inert, whatever the mode: it opens no socket, sends nothing and maps nothing; mappings
	 * added are listed as {@link MappingState#DISABLED}. For an application that runs where it must not touch
	 * the network's router, such as inside a test.
	 * @param reason why, as health and the endpoint tell it; {@code null} for an engine that works
	 * @return this builder
	 */
	public MappingEngineBuilder inactive(@Nullable String reason) {
		this.inactiveReason = reason;
		return this;
	}

	/**
	 * Shortest time between two reactions to the router's unsolicited signals (announcements, SSDP
	 * notifications): at most one check and one remap of every mapping per window, whatever arrives, so a LAN
	 * device that forges them cannot turn them into a flood of requests; default 5 seconds (RFC 6887 section
	 * 14.1.3).
	 * @param signalWindow the window
	 * @return this builder
	 */
	public MappingEngineBuilder signalWindow(Duration signalWindow) {
		if (signalWindow.isNegative()) {
			throw new IllegalArgumentException("signal window must not be negative");
		}
		this.signalWindow = signalWindow;
		return this;
	}

	/**
	 * A file of this application's own in which to remember mappings that a router granted only without a
	 * lease, so that the next start deletes what a crash left; default none. Give each application instance
	 * its own file: the next start deletes what the file names, if the router still holds it for this host,
	 * port and description.
	 * @param journal the file; created with its directory when first needed
	 * @return this builder
	 */
	public MappingEngineBuilder permanentMappingJournal(@Nullable Path journal) {
		this.journal = journal;
		return this;
	}

	/**
	 * STUN servers to ask, in order until one answers, what this host looks like from the internet; default none,
	 * so that nothing leaves the LAN unless configured. The answer is compared with the router's external address
	 * (a difference means another NAT in front of the router) and, in mode {@code stun}, is the external address.
	 * Each server is asked at its IPv4 address; while IPv6 pinholes are open, also at its IPv6 address (a literal,
	 * or the name's AAAA record) from the address the pinholes are for, to tell whether the internet sees that
	 * address ({@link MappingEngine#ipv6StunObservation()}).
	 * @param servers the servers
	 * @return this builder
	 */
	public MappingEngineBuilder stunServers(List<StunServer> servers) {
		this.stunServers = List.copyOf(servers);
		return this;
	}

	/**
	 * How to reach the STUN servers; default UDP, which also measures the NAT's behaviour. TCP shows the address
	 * of TCP connections where UDP is blocked.
	 * @param transport UDP or TCP
	 * @return this builder
	 */
	public MappingEngineBuilder stunTransport(Transport transport) {
		this.stunTransport = Objects.requireNonNull(transport);
		return this;
	}

	/**
	 * Time between STUN checks; default 10 minutes. A change of the router's external address triggers one at once.
	 * @param interval the interval
	 * @return this builder
	 */
	public MappingEngineBuilder stunCheckInterval(Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("STUN check interval must be positive");
		}
		this.stunCheckInterval = interval;
		return this;
	}

	/**
	 * Whether UDP checks measure the NAT's mapping and filtering behaviour and hairpinning (RFC 5780; a dozen
	 * datagrams, and a server with two addresses); default true.
	 * @param enabled whether to
	 * @return this builder
	 */
	public MappingEngineBuilder stunBehaviorDiscovery(boolean enabled) {
		this.stunBehaviorDiscovery = enabled;
		return this;
	}

	/**
	 * When to send a STUN request again; default {@link StunClient#WAN}. Behaviour tests that may go unanswered
	 * by design wait a few measured round trips instead.
	 * @param retransmission the schedule
	 * @return this builder
	 */
	public MappingEngineBuilder stunRetransmission(Retransmission retransmission) {
		this.stunRetransmission = Objects.requireNonNull(retransmission);
		return this;
	}

	public MappingEngineBuilder threadName(String threadName) {
		this.threadName = Objects.requireNonNull(threadName);
		return this;
	}

	public MappingEngineBuilder listener(MappingListener listener) {
		this.listeners.add(Objects.requireNonNull(listener));
		return this;
	}

	/**
	 * Builds the engine.
	 * @return the engine
	 * @throws IllegalStateException if mode {@code stun} names no server and none is configured
	 */
	public MappingEngine build() {
		if (this.mode.kind() == NatMode.Kind.STUN && this.mode.stunServer() == null && this.stunServers.isEmpty()) {
			throw new IllegalStateException("Mode stun needs a STUN server: stun:HOST[:PORT], or stun servers");
		}
		return new MappingEngine(this);
	}

}
