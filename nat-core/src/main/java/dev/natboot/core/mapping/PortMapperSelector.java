package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.gateway.ContainerBridge;
import dev.natboot.core.gateway.GatewayDiscovery;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.pcp.PcpClient;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pmp.PmpClient;
import dev.natboot.core.pmp.PmpResultCode;
import dev.natboot.core.upnp.SsdpSearch;
import dev.natboot.core.upnp.UpnpClient;
import dev.natboot.core.upnp.UpnpDiscovery;
import dev.natboot.core.upnp.UpnpGateway;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the {@link PortMapper} for the configured mode and keeps it until it stops working. In {@code any}
 * mode, PCP, NAT-PMP and UPnP are probed at the same time with requests that change nothing on the router
 * (PCP ANNOUNCE, NAT-PMP external address, SSDP search and description), and the best that answers wins:
 * PCP, then NAT-PMP, then UPnP. A router that speaks only one of them therefore costs no waiting. Runs on the
 * engine's loop thread only.
 */
final class PortMapperSelector extends MapperSelection {

	private static final System.Logger logger = System.getLogger(PortMapperSelector.class.getName());

	/**
	 * How long PCP has to answer in the {@code any} race before NAT-PMP and UPnP are asked as well: a PCP
	 * router answers on the LAN within a few milliseconds, 120 ms in a JVM that has just started.
	 */
	static final Duration FALLBACK_DELAY = Duration.ofMillis(250);

	/** How long UPnP may take to answer an SSDP search: miniupnpd alone waits about 50 ms. */
	static final Duration SSDP_WINDOW = Duration.ofSeconds(1);

	/** Longest HTTP exchange with a UPnP device. */
	static final Duration UPNP_TIMEOUT = Duration.ofSeconds(2);

	private final NatMode mode;

	private final Supplier<List<GatewayDiscovery.DefaultRoute>> defaultRoutes;

	private final @Nullable String networkInterface;

	/** The address the router sees this host's requests come from, when a NAT between them translates it. */
	private final @Nullable InetAddress internalAddress;

	private final NatEventLoop loop;

	private final Retransmission retransmission;

	private final int ssdpPort;

	private volatile Set<NatProtocol> answered = Set.of();

	/** The routers' epochs outlive the mappers: a re-probe must still tell a restarted router. */
	private final ServerEpoch pcpEpoch;

	private final ServerEpoch pmpEpoch;

	private @Nullable InetAddress lastGateway;

	/** Tells the external address in mode stun. */
	private final @Nullable StunMonitor stun;

	/** Hears what every protocol that answered says of the router's own external address. */
	private final RouterAddress routerAddress;

	private final IgnoredDatagrams ignored;

	private final UpnpPortMapper.PermanentLeaseJournal journal;

	/**
	 * Creates a selector.
	 * @param stateLost told, on the loop's thread, when a router's answer shows that it lost its mappings (it
	 * restarted)
	 * @param routerAddress told the router's own external address by every protocol that answered, whichever maps
	 * @param ignored counts what the clients receive and do not take as an answer
	 * @param journal where UPnP mappings without a lease are written down before the router is asked
	 */
	PortMapperSelector(NatMode mode, Supplier<List<GatewayDiscovery.DefaultRoute>> defaultRoutes,
			@Nullable String networkInterface, @Nullable InetAddress internalAddress, NatEventLoop loop,
			Retransmission retransmission, int ssdpPort, Runnable stateLost, @Nullable StunMonitor stun,
			RouterAddress routerAddress, IgnoredDatagrams ignored, UpnpPortMapper.PermanentLeaseJournal journal) {
		this.mode = mode;
		this.stun = stun;
		this.routerAddress = routerAddress;
		this.ignored = ignored;
		this.journal = journal;
		this.defaultRoutes = defaultRoutes;
		this.networkInterface = networkInterface;
		this.internalAddress = internalAddress;
		this.loop = loop;
		this.retransmission = retransmission;
		this.ssdpPort = ssdpPort;
		this.pcpEpoch = new ServerEpoch(stateLost);
		this.pmpEpoch = new ServerEpoch(stateLost);
	}

	/**
	 * Where the router's PCP and NAT-PMP server is, the only source whose announcements count: the gateway's
	 * address and the server's port (5351, or the one the mode names).
	 * @return the server, {@code null} before the gateway is known or in modes without PCP and NAT-PMP
	 */
	@Nullable InetSocketAddress announcingServer() {
		InetAddress gateway = this.lastGateway;
		if (gateway == null || this.mode.kind() == NatMode.Kind.UPNP) {
			return null;
		}
		InetSocketAddress configured = this.mode.gateway();
		return new InetSocketAddress(gateway, (configured != null) ? configured.getPort() : NatMode.PCP_PORT);
	}

	@Override
	void chosen(PortMapper mapper) {
		if (this.mode.kind() != NatMode.Kind.ANY) {
			this.answered = Set.of(mapper.protocol());
		}
		warmUp(mapper);
	}

	/**
	 * Every protocol the router answered when it was last probed.
	 * @return the protocols
	 */
	Set<NatProtocol> answered() {
		return this.answered;
	}

	/**
	 * Forgets a mapper that stopped answering, so that the next selection probes again (the router may have
	 * been replaced, restarted with another UPnP control URL, or speak another protocol now).
	 * @param mapper the mapper that failed
	 */
	@Override
	public void discard(PortMapper mapper) {
		boolean rediscovers = this.mode.kind() == NatMode.Kind.ANY || this.mode.kind() == NatMode.Kind.UPNP;
		if (rediscovers) {
			forget(mapper);
		}
	}

	/**
	 * Forgets the UPnP mapper in use, if that is what is in use, so that the next selection reads the router's
	 * description again: a restarted router may serve its control URL on another port.
	 */
	void discardUpnp() {
		PortMapper current = selected();
		if (current != null && current.protocol() == NatProtocol.UPNP) {
			discard(current);
		}
	}

	@Override
	CompletableFuture<PortMapper> start() throws NatException {
		if (this.mode.kind() == NatMode.Kind.STUN) {
			return CompletableFuture.completedFuture(new StunPortMapper(Objects.requireNonNull(this.stun)));
		}
		if (this.mode.kind() == NatMode.Kind.EXTIP) {
			return CompletableFuture.completedFuture(new ManualPortMapper(Objects.requireNonNull(this.mode.externalAddress())));
		}
		if (!this.mode.kind().usesRouter()) {
			throw new NatException(NatErrorKind.NO_GATEWAY, null, "Mode " + this.mode + " maps nothing");
		}
		List<GatewayDiscovery.DefaultRoute> candidates = RouterCandidates.of(this.mode, this.defaultRoutes,
				this.networkInterface);
		this.lastGateway = candidates.get(0).gateway();
		if (candidates.size() == 1) {
			InetAddress gateway = candidates.get(0).gateway();
			CompletableFuture<PortMapper> probe = probeAt(gateway);
			return (this.mode.gateway() != null) ? probe : probe.exceptionallyCompose((failure) -> behindBridge(gateway, failure));
		}
		List<CompletableFuture<PortMapper>> probes = candidates.stream()
			.map((route) -> probe(() -> probeAt(route.gateway())))
			.toList();
		return new ProbeRace(this.loop, probes, (answered) -> {
		}).winner().thenApply((mapper) -> {
			InetSocketAddress server = mapper.gateway();
			InetAddress chosen = candidates.stream()
				.map(GatewayDiscovery.DefaultRoute::gateway)
				.filter((gateway) -> server != null && gateway.equals(server.getAddress()))
				.findFirst()
				.orElse(candidates.get(0).gateway());
			this.lastGateway = chosen;
			RouterCandidates.chosen(candidates, chosen);
			return mapper;
		});
	}

	/**
	 * A container's default gateway is its host: when nothing answered there and it looks like a container
	 * bridge, the failure says so, and what to do.
	 */
	private static CompletableFuture<PortMapper> behindBridge(InetAddress gateway, Throwable failure) {
		NatException cause = NatException.of(failure, null);
		Optional<String> bridge = (cause.kind() == NatErrorKind.NO_RESPONSE) ? ContainerBridge.describe(gateway)
				: Optional.empty();
		if (bridge.isEmpty()) {
			return CompletableFuture.failedFuture(cause);
		}
		return CompletableFuture.failedFuture(new NatException(cause.kind(), null, NatException.NO_ROUTER_CODE,
				ContainerBridge.advice(gateway, bridge.get()) + " (" + cause.getMessage() + ")", cause));
	}

	private CompletableFuture<PortMapper> probeAt(InetAddress gateway) throws NatException {
		return switch (this.mode.kind()) {
			case PCP -> pcp(endpoint(gateway));
			case PMP -> pmp(endpoint(gateway));
			case UPNP -> upnp(endpoint(gateway));
			default -> race(gateway);
		};
	}

	/**
	 * The {@code any} race. PCP goes first; NAT-PMP and UPnP are asked once PCP has failed, or has not answered
	 * within {@link #FALLBACK_DELAY}: on a router that speaks PCP, their clients are never even loaded, which is
	 * 40 ms of CPU in a starting application (the sample app, lab) on a small machine. Discovery runs while the
	 * application's context starts, seconds before its server listens, so the wait costs routers without PCP
	 * nothing that shows.
	 * <p>
	 * UPnP can only win when PCP and NAT-PMP both fail, so when either has answered by the time the gateway
	 * answers the SSDP search, the description is not read: that HTTP exchange and XML parse cost some 35 ms of
	 * CPU. The SSDP answer alone shows that the router speaks UPnP; a later selection, if the better protocol
	 * stops working, reads it.
	 */
	private CompletableFuture<PortMapper> race(InetAddress gateway) throws NatException {
		CompletableFuture<PortMapper> pcp = pcp(endpoint(gateway));
		CompletableFuture<@Nullable Void> fallback = new CompletableFuture<>();
		pcp.whenComplete((mapper, failure) -> {
			if (failure != null) {
				fallback.complete(null);
			}
		});
		NatEventLoop.Timer delay = this.loop.scheduleNanos(() -> {
			if (!pcp.isDone()) {
				fallback.complete(null);
			}
		}, FALLBACK_DELAY.toNanos());
		pcp.thenRun(delay::cancel);
		CompletableFuture<PortMapper> pmp = fallback.thenCompose((ignored) -> probe(() -> pmp(endpoint(gateway))));
		AtomicBoolean upnpHeard = new AtomicBoolean();
		CompletableFuture<PortMapper> upnp = fallback.thenCompose((ignored) -> {
			UpnpClient client = new UpnpClient(this.loop, UPNP_TIMEOUT);
			return SsdpSearch.find(this.loop, new InetSocketAddress(gateway, this.ssdpPort), SSDP_WINDOW)
				.thenCompose((answer) -> {
					PortMapper better = answeredMapper(pcp).or(() -> answeredMapper(pmp)).orElse(null);
					if (better == null) {
						return UpnpDiscovery.describe(client, answer).thenApply(this::heardExternalAddress);
					}
					upnpHeard.set(true);
					this.answered = with(this.answered, NatProtocol.UPNP);
					throw new CompletionException(new NatException(NatErrorKind.UNSUPPORTED_OPERATION,
							NatProtocol.UPNP, "UPnP description not read: " + better.protocol().displayName()
									+ " answered first"));
				})
				.thenApply((found) -> upnpMapper(client, found));
		});
		return new ProbeRace(this.loop, List.of(pcp, pmp, upnp),
				(protocols) -> this.answered = upnpHeard.get() ? with(protocols, NatProtocol.UPNP) : protocols)
			.winner();
	}

	/** A probe that may fail before it starts, as a future either way. */
	private static CompletableFuture<PortMapper> probe(ProbeStart start) {
		try {
			return start.start();
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@FunctionalInterface
	private interface ProbeStart {

		CompletableFuture<PortMapper> start() throws NatException;

	}

	/**
	 * Asks the router for its own external address after it refused a mapping, through the mapper that was
	 * refused. PCP has no such request: in mode {@code any}, where NAT-PMP was not asked because PCP answered, a
	 * NAT-PMP external address request to the same router asks instead (behind carrier-grade NAT it says so,
	 * where a PCP refusal may not).
	 * @param mapper the mapper that was refused
	 * @return the address, 0.0.0.0 when the router says it has none; empty when nothing could ask
	 */
	@Override
	public CompletableFuture<Optional<InetAddress>> routerAddress(PortMapper mapper) {
		InetSocketAddress server = mapper.gateway();
		if (server == null || mapper.protocol() != NatProtocol.PCP || this.mode.kind() != NatMode.Kind.ANY
				|| this.answered.contains(NatProtocol.NAT_PMP)) {
			return mapper.routerAddress();
		}
		PmpPortMapper pmp;
		try {
			// NAT-PMP and PCP share the server port (RFC 6887 section 19.1).
			pmp = new PmpPortMapper(new PmpClient(this.loop, server, this.retransmission, this.ignored),
					this.pmpEpoch);
		}
		catch (NatException ex) {
			return CompletableFuture.completedFuture(Optional.empty());
		}
		return pmp.routerAddress().handle((address, failure) -> {
			pmp.close();
			return (address != null) ? address : Optional.<InetAddress>empty();
		});
	}

	private static void warmUp(PortMapper mapper) {
		try {
			mapper.warmUp();
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "Warming up " + mapper.protocol().displayName() + " failed", ex);
		}
	}

	private static Optional<PortMapper> answeredMapper(CompletableFuture<PortMapper> probe) {
		return (probe.isDone() && !probe.isCompletedExceptionally()) ? Optional.of(probe.join()) : Optional.empty();
	}

	private static Set<NatProtocol> with(Set<NatProtocol> protocols, NatProtocol protocol) {
		EnumSet<NatProtocol> union = EnumSet.of(protocol);
		union.addAll(protocols);
		return Set.copyOf(union);
	}

	private CompletableFuture<PortMapper> pcp(InetSocketAddress server) throws NatException {
		PcpClient client = new PcpClient(this.loop, null, this.internalAddress, server, this.retransmission,
				this.ignored);
		return verified(client.announce().thenApply((answer) -> observed(this.pcpEpoch, answer.epochSeconds(), answer)),
				new PcpPortMapper(client, this.pcpEpoch, this.routerAddress::observed));
	}

	/**
	 * The probe is NAT-PMP's external address request: its answer tells the router's own address even when
	 * another protocol wins the race (a router behind carrier-grade NAT says 100.64.x.y here, and then refuses
	 * every PCP MAP with NO_RESOURCES).
	 */
	private CompletableFuture<PortMapper> pmp(InetSocketAddress server) throws NatException {
		PmpClient client = new PmpClient(this.loop, server, this.retransmission, this.ignored);
		return verified(client.externalAddress().thenApply((answer) -> {
			this.routerAddress.observed((answer.result() == PmpResultCode.SUCCESS) ? answer.externalAddress()
					: PmpPortMapper.UNSPECIFIED);
			return observed(this.pmpEpoch, answer.epochSeconds(), answer);
		}), new PmpPortMapper(client, this.pmpEpoch));
	}

	private UpnpGateway heardExternalAddress(UpnpGateway gateway) {
		InetAddress external = gateway.externalAddress();
		if (external != null) {
			this.routerAddress.observed(external);
		}
		return gateway;
	}

	private static <T> T observed(ServerEpoch epoch, long seconds, T answer) {
		epoch.observe(seconds, System.nanoTime());
		return answer;
	}

	private CompletableFuture<PortMapper> upnp(InetSocketAddress ssdp) {
		UpnpClient client = new UpnpClient(this.loop, UPNP_TIMEOUT);
		return UpnpDiscovery.discover(this.loop, client, ssdp, SSDP_WINDOW)
			.thenApply((gateway) -> upnpMapper(client, heardExternalAddress(gateway)));
	}

	private PortMapper upnpMapper(UpnpClient client, UpnpGateway gateway) {
		logger.log(Level.DEBUG, () -> "UPnP gateway " + gateway.device().getHostAddress() + " offers "
				+ gateway.service().serviceType() + " at " + gateway.service().controlUrl());
		UpnpGateway mapped = (this.internalAddress != null) ? gateway.withInternalClient(this.internalAddress) : gateway;
		return new UpnpPortMapper(client, mapped, this.journal);
	}

	/**
	 * The mapper, once a harmless probe proved the gateway speaks its protocol; any answer does, even an error
	 * code. The probe also makes the first mapping a single, warm round trip.
	 */
	private static CompletableFuture<PortMapper> verified(CompletableFuture<?> probe, PortMapper mapper) {
		return probe.handle((answer, failure) -> {
			if (failure != null) {
				mapper.close();
				throw new CompletionException(NatException.of(failure, mapper.protocol()));
			}
			return mapper;
		});
	}

	private InetSocketAddress endpoint(InetAddress gateway) {
		InetSocketAddress configured = this.mode.gateway();
		return (configured != null) ? configured : new InetSocketAddress(gateway, this.mode.kind().defaultPort());
	}

}
