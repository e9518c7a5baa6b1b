package dev.natboot.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatException;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.gateway.GatewayDiscovery;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.pcp.PcpClient;
import dev.natboot.core.pmp.PmpClient;
import dev.natboot.core.reachability.ReachabilityStatus;
import dev.natboot.core.reachability.TurnReachabilityProbe;
import dev.natboot.core.stun.NatBehavior;
import dev.natboot.core.stun.NatBehaviorDiscovery;
import dev.natboot.core.stun.StunClient;
import dev.natboot.core.upnp.UpnpClient;
import dev.natboot.core.upnp.UpnpDiscovery;
import dev.natboot.core.upnp.UpnpGateway;

/**
 * {@code netcheck}: asks the gateway with PCP, NAT-PMP and UPnP side by side (and a STUN server, when given), then,
 * with a TURN server, maps a temporary TCP port it listens on, has the TURN server connect to it from outside,
 * and releases it. Bounded: every probe has its own timeout, the whole run a few seconds.
 */
final class Netcheck {

	/** Short: a router on the LAN answers in milliseconds; one that does not within a second will not. */
	private static final Retransmission PROBE = new Retransmission(Duration.ofMillis(100), Duration.ofMillis(400), 4);

	private static final Duration UPNP_WINDOW = Duration.ofMillis(1500);

	private static final Duration MAPPING_TIMEOUT = Duration.ofSeconds(8);

	private final NetcheckOptions options;

	Netcheck(NetcheckOptions options) {
		this.options = options;
	}

	NetcheckReport run() {
		long start = System.nanoTime();
		NetcheckReport report = new NetcheckReport();
		InetAddress gateway = (this.options.gateway() != null) ? this.options.gateway()
				: GatewayDiscovery.defaultGateway().orElse(null);
		report.gateway = (gateway != null) ? gateway.getHostAddress() : null;
		// The test mapping and its check from outside go on beside the probes: the STUN probes' waits for
		// answers that never come are most of a run.
		CompletableFuture<FromOutside> fromOutside = (this.options.turn() != null)
				? CompletableFuture.supplyAsync(this::checkFromOutside) : null;
		try (NatEventLoop loop = NatEventLoop.open("netcheck")) {
			CompletableFuture<NetcheckReport.Probe> pcp = (gateway != null) ? pcp(loop, gateway) : null;
			CompletableFuture<NetcheckReport.Probe> pmp = (gateway != null) ? pmp(loop, gateway) : null;
			CompletableFuture<NetcheckReport.Probe> upnp = (gateway != null) ? upnp(loop, gateway) : null;
			CompletableFuture<NatBehavior> stun = stun(loop);
			for (CompletableFuture<NetcheckReport.Probe> probe : java.util.Arrays.asList(pcp, pmp, upnp)) {
				if (probe != null) {
					report.probes.add(probe.join());
				}
			}
			report.probes.stream()
				.map(NetcheckReport.Probe::externalAddress)
				.filter(java.util.Objects::nonNull)
				.findFirst()
				.ifPresent((address) -> {
					report.externalAddress = address;
					report.externalAddressScope = AddressScope.parse(address).name().toLowerCase(java.util.Locale.ROOT);
				});
			if (stun != null) {
				try {
					NatBehavior behavior = stun.get(15, TimeUnit.SECONDS);
					report.stunAddress = behavior.mappedAddress().getAddress().getHostAddress();
					report.natType = behavior.natType().displayName();
				}
				catch (Exception ex) {
					report.stunDetail = NatException.of(ex, null).getMessage();
				}
			}
		}
		judgeAnotherNat(report);
		if (fromOutside != null) {
			merge(report, fromOutside.join());
		}
		verdict(report);
		report.totalMillis = (System.nanoTime() - start) / 1e6;
		return report;
	}

	private CompletableFuture<NetcheckReport.Probe> pcp(NatEventLoop loop, InetAddress gateway) {
		long start = System.nanoTime();
		try {
			PcpClient client = new PcpClient(loop, new InetSocketAddress(gateway, 5351), PROBE);
			return client.announce().handle((answer, failure) -> {
				client.close();
				return (failure == null)
						? new NetcheckReport.Probe("PCP", true, millis(start), null, "epoch " + answer.epochSeconds() + " s")
						: new NetcheckReport.Probe("PCP", false, millis(start), null, reason(failure));
			});
		}
		catch (NatException ex) {
			return CompletableFuture.completedFuture(new NetcheckReport.Probe("PCP", false, 0, null, ex.getMessage()));
		}
	}

	private CompletableFuture<NetcheckReport.Probe> pmp(NatEventLoop loop, InetAddress gateway) {
		long start = System.nanoTime();
		try {
			PmpClient client = new PmpClient(loop, new InetSocketAddress(gateway, 5351), PROBE);
			return client.externalAddress().handle((answer, failure) -> {
				client.close();
				return (failure == null) ? new NetcheckReport.Probe("NAT-PMP", true, millis(start),
						answer.externalAddress().getHostAddress(), null)
						: new NetcheckReport.Probe("NAT-PMP", false, millis(start), null, reason(failure));
			});
		}
		catch (NatException ex) {
			return CompletableFuture.completedFuture(new NetcheckReport.Probe("NAT-PMP", false, 0, null, ex.getMessage()));
		}
	}

	private CompletableFuture<NetcheckReport.Probe> upnp(NatEventLoop loop, InetAddress gateway) {
		long start = System.nanoTime();
		UpnpClient client = new UpnpClient(loop, Duration.ofSeconds(2));
		return UpnpDiscovery.discover(loop, client, new InetSocketAddress(gateway, 1900), UPNP_WINDOW)
			.handle((UpnpGateway answer, Throwable failure) -> {
				client.close();
				if (failure != null) {
					return new NetcheckReport.Probe("UPnP", false, millis(start), null, reason(failure));
				}
				InetAddress external = answer.externalAddress();
				return new NetcheckReport.Probe("UPnP", true, millis(start),
						(external != null) ? external.getHostAddress() : null,
						"IGD v" + answer.service().version() + ((answer.service().isPpp()) ? " (PPP)" : ""));
			});
	}

	private @Nullable CompletableFuture<NatBehavior> stun(NatEventLoop loop) {
		if (this.options.stun() == null) {
			return null;
		}
		try {
			return new NatBehaviorDiscovery(loop, StunClient.WAN).discover(this.options.stun().resolve());
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static void judgeAnotherNat(NetcheckReport report) {
		if (report.externalAddress != null && !AddressScope.parse(report.externalAddress).isReachableFromInternet()) {
			report.behindAnotherNat = true;
			report.anotherNatReason = "the router's external address " + report.externalAddress + " is "
					+ report.externalAddressScope + " (carrier-grade NAT, or a second router)";
		}
		else if (report.externalAddress != null && report.stunAddress != null
				&& !report.externalAddress.equals(report.stunAddress)) {
			report.behindAnotherNat = true;
			report.anotherNatReason = "the internet sees this host at " + report.stunAddress + ", the router says "
					+ report.externalAddress;
		}
	}

	/**
	 * What the test mapping found.
	 *
	 * @param testMapping what was mapped, or why nothing was
	 * @param endpoint where it was mapped, {@code null} if it was not
	 * @param outcome the check from outside, {@code null} if there was none
	 * @param millis how long the check took
	 */
	record FromOutside(String testMapping, @Nullable InetSocketAddress endpoint,
			TurnReachabilityProbe.@Nullable Outcome outcome, double millis, @Nullable InetAddress routerSays) {
	}

	/** Listens on a port, maps it, has the TURN server connect to it, releases it. */
	private FromOutside checkFromOutside() {
		try (ServerSocket listener = new ServerSocket(this.options.port());
				MappingEngine engine = MappingEngine.builder()
					.mode(this.options.mode())
					.gatewayDiscovery(() -> Optional.ofNullable(this.options.gateway())
						.or(GatewayDiscovery::defaultGateway))
					.shutdownTimeout(Duration.ofSeconds(2))
					.permanentMappingJournal(null)
					.threadName("netcheck-engine")
					.build()) {
			Thread acceptor = new Thread(() -> accept(listener), "netcheck-accept");
			acceptor.setDaemon(true);
			acceptor.start();
			int port = listener.getLocalPort();
			engine.add(new MappingSpec("netcheck", Transport.TCP, port, 0, Duration.ofMinutes(2), "natboot netcheck"));
			Mapping mapping = awaitActive(engine);
			if (mapping == null || mapping.externalEndpoint() == null) {
				return new FromOutside("port " + port + "/TCP: no router mapped it" + engine.mapping("netcheck").map(Mapping::lastError).map((e) -> " (" + e.getMessage() + ")")
							.orElse(""), null, null, 0, engine.gatewayInfo().externalAddress());
			}
			InetSocketAddress endpoint = mapping.externalEndpoint();
			String mapped = "port " + port + "/TCP mapped at " + endpoint.getAddress().getHostAddress() + ":"
					+ endpoint.getPort() + " with " + mapping.protocol().displayName();
			long start = System.nanoTime();
			TurnReachabilityProbe.Outcome outcome = new TurnReachabilityProbe(java.util.List.of(this.options.turn()),
					this.options.turnCredentials(), Duration.ofSeconds(3)).check(endpoint, false);
			double took = millis(start);
			engine.release(Duration.ofSeconds(2));
			return new FromOutside(mapped, endpoint, outcome, took, engine.gatewayInfo().externalAddress());
		}
		catch (IOException ex) {
			return new FromOutside("cannot listen on port " + this.options.port() + ": " + ex.getMessage(), null, null, 0,
					null);
		}
	}

	private static void merge(NetcheckReport report, FromOutside found) {
		report.testMapping = found.testMapping();
		InetAddress routerSays = found.routerSays();
		if (routerSays != null && !routerSays.isAnyLocalAddress() && (report.externalAddress == null
				|| AddressScope.parse(report.externalAddress) == AddressScope.UNSPECIFIED)) {
			// NAT-PMP and UPnP say 0.0.0.0 when the router's address is not public; a PCP answer names it.
			report.externalAddress = routerSays.getHostAddress();
			report.externalAddressScope = AddressScope.of(routerSays).name().toLowerCase(java.util.Locale.ROOT);
			report.behindAnotherNat = false;
			judgeAnotherNat(report);
		}
		InetSocketAddress endpoint = found.endpoint();
		if (endpoint != null && report.externalAddress == null) {
			report.externalAddress = endpoint.getAddress().getHostAddress();
			report.externalAddressScope = AddressScope.of(endpoint.getAddress()).name().toLowerCase(java.util.Locale.ROOT);
			judgeAnotherNat(report);
		}
		TurnReachabilityProbe.Outcome outcome = found.outcome();
		if (outcome == null || endpoint == null) {
			return;
		}
		report.reachabilityMillis = found.millis();
		report.reachability = outcome.status().name();
		report.reachabilityDetail = outcome.detail();
		if (outcome.seenAs() != null && !report.behindAnotherNat && !outcome.seenAs().equals(endpoint.getAddress())) {
			report.behindAnotherNat = true;
			report.anotherNatReason = "the TURN server sees this host at " + outcome.seenAs().getHostAddress()
					+ ", the router says " + endpoint.getAddress().getHostAddress();
		}
	}

	private static @Nullable Mapping awaitActive(MappingEngine engine) {
		long deadline = System.nanoTime() + MAPPING_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			Optional<Mapping> mapping = engine.mapping("netcheck");
			if (mapping.isPresent() && mapping.get().isActive()) {
				return mapping.get();
			}
			NatException refusal = mapping.map(Mapping::lastError).orElse(null);
			if (refusal != null && refusal.kind() != dev.natboot.core.NatErrorKind.NO_RESPONSE
					&& refusal.kind() != dev.natboot.core.NatErrorKind.NO_GATEWAY) {
				// The router answered no: waiting for its retries would not change that.
				return null;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		return null;
	}

	private static void accept(ServerSocket listener) {
		while (!listener.isClosed()) {
			try (Socket connection = listener.accept()) {
				// Held until the prober closes it, as a server would.
				connection.setSoTimeout(10_000);
				connection.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
			}
			catch (IOException ex) {
				// closed, or the prober went away
			}
		}
	}

	private static void verdict(NetcheckReport report) {
		boolean anyRouter = report.probes.stream().anyMatch(NetcheckReport.Probe::answered)
				|| (report.testMapping != null && report.testMapping.contains(" mapped at "));
		if (ReachabilityStatus.REACHABLE.name().equals(report.reachability)) {
			report.verdict = "reachable from outside: a mapping on this router lets connections in";
			report.exitCode = NetcheckReport.REACHABLE;
		}
		else if (ReachabilityStatus.UNREACHABLE.name().equals(report.reachability)) {
			report.verdict = "the router maps, but nothing from outside comes through: " + (report.behindAnotherNat
					? "another NAT: " + report.anotherNatReason : "a filter upstream, or a router that does not forward");
			report.exitCode = NetcheckReport.UNREACHABLE;
		}
		else if (ReachabilityStatus.FAILING.name().equals(report.reachability)) {
			report.verdict = "the check from outside failed: " + report.reachabilityDetail;
			report.exitCode = NetcheckReport.CHECK_FAILED;
		}
		else if (!anyRouter) {
			report.verdict = "no router maps ports here (PCP, NAT-PMP and UPnP unanswered): a relay is the way in";
			report.exitCode = NetcheckReport.NO_ROUTER;
		}
		else if (report.behindAnotherNat) {
			report.verdict = "the router maps, but another NAT is in front of it: " + report.anotherNatReason;
			report.exitCode = NetcheckReport.UNREACHABLE;
		}
		else {
			report.verdict = "the router maps ports (not checked from outside: give --turn to check)";
			report.exitCode = NetcheckReport.REACHABLE;
		}
	}

	private static double millis(long start) {
		return (System.nanoTime() - start) / 1e6;
	}

	private static String reason(Throwable failure) {
		return NatException.of(failure, null).getMessage();
	}

}
