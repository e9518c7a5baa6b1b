package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.pcp.PcpClient;
import dev.natboot.core.pmp.PmpClient;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the {@link PortMapper} for the configured mode and keeps it until it stops working. In {@code any}
 * mode, PCP and NAT-PMP are probed at the same time (PCP ANNOUNCE and NAT-PMP external address: neither
 * changes anything on the router) and PCP wins when it answers; NAT-PMP is taken when PCP says it is not
 * supported, or stays silent a short while after NAT-PMP answered. A router that speaks only one of them
 * therefore costs no waiting. Runs on the engine's loop thread only.
 */
final class PortMapperSelector implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(PortMapperSelector.class.getName());

	/**
	 * How long PCP may still answer after NAT-PMP did: twice NAT-PMP's round trip, bounded. One daemon serves
	 * both on real routers, so a PCP answer that comes at all comes about as fast.
	 */
	private static final long MIN_PCP_GRACE_NANOS = Duration.ofMillis(10).toNanos();

	private static final long MAX_PCP_GRACE_NANOS = Duration.ofMillis(50).toNanos();

	private final NatMode mode;

	private final Supplier<Optional<InetAddress>> gatewayDiscovery;

	private final NatEventLoop loop;

	private final Retransmission retransmission;

	private @Nullable CompletableFuture<PortMapper> selection;

	private @Nullable PortMapper selected;

	PortMapperSelector(NatMode mode, Supplier<Optional<InetAddress>> gatewayDiscovery, NatEventLoop loop,
			Retransmission retransmission) {
		this.mode = mode;
		this.gatewayDiscovery = gatewayDiscovery;
		this.loop = loop;
		this.retransmission = retransmission;
	}

	/**
	 * The mapper to use, probing first if none is chosen yet; concurrent callers share one probe.
	 * @return the mapper
	 */
	CompletableFuture<PortMapper> select() {
		CompletableFuture<PortMapper> current = this.selection;
		if (current != null && !current.isCompletedExceptionally()) {
			return current;
		}
		CompletableFuture<PortMapper> started;
		try {
			started = start();
		}
		catch (NatException ex) {
			started = CompletableFuture.failedFuture(ex);
		}
		this.selection = started.thenApply((mapper) -> {
			this.selected = mapper;
			return mapper;
		});
		return this.selection;
	}

	/**
	 * The mapper currently in use.
	 * @return the mapper, or {@code null} before the first successful selection
	 */
	@Nullable PortMapper selected() {
		return this.selected;
	}

	/**
	 * Forgets a mapper that stopped answering, so that the next selection probes again (the router may have
	 * been replaced, or may speak another protocol after a restart).
	 * @param mapper the mapper that failed
	 */
	void discard(PortMapper mapper) {
		if (this.selected == mapper && this.mode.kind() == NatMode.Kind.ANY) {
			this.selected = null;
			this.selection = null;
			mapper.close();
		}
	}

	@Override
	public void close() {
		PortMapper current = this.selected;
		if (current != null) {
			current.close();
		}
	}

	private CompletableFuture<PortMapper> start() throws NatException {
		if (this.mode.kind() == NatMode.Kind.EXTIP) {
			InetAddress external = java.util.Objects.requireNonNull(this.mode.externalAddress());
			return CompletableFuture.completedFuture(new ManualPortMapper(external));
		}
		InetSocketAddress gateway = gateway();
		return switch (this.mode.kind()) {
			case PCP -> {
				PcpClient pcp = new PcpClient(this.loop, gateway, this.retransmission);
				yield verified(pcp.announce(), new PcpPortMapper(pcp));
			}
			case PMP -> {
				PmpClient pmp = new PmpClient(this.loop, gateway, this.retransmission);
				yield verified(pmp.externalAddress(), new PmpPortMapper(pmp));
			}
			case ANY -> new Race(new PcpClient(this.loop, gateway, this.retransmission),
					new PmpClient(this.loop, gateway, this.retransmission)).start();
			default -> CompletableFuture.failedFuture(new NatException(NatErrorKind.NO_GATEWAY, null,
					"Mode " + this.mode + " maps nothing"));
		};
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

	private InetSocketAddress gateway() throws NatException {
		InetSocketAddress configured = this.mode.gateway();
		if (configured != null) {
			return configured;
		}
		InetAddress discovered = this.gatewayDiscovery.get()
			.orElseThrow(() -> new NatException(NatErrorKind.NO_GATEWAY, null,
					"No default IPv4 gateway in the routing table; set nat.mode to pcp:GATEWAY or pmp:GATEWAY"));
		return new InetSocketAddress(discovered, NatMode.PCP_PORT);
	}

	/** One probe of PCP against NAT-PMP; every callback runs on the loop thread. */
	private final class Race {

		private final PcpClient pcp;

		private final PmpClient pmp;

		private final CompletableFuture<PortMapper> winner = new CompletableFuture<>();

		private final long startedNanos = System.nanoTime();

		private @Nullable NatException pcpFailure;

		private @Nullable NatException pmpFailure;

		private boolean pmpAnswered;

		Race(PcpClient pcp, PmpClient pmp) {
			this.pcp = pcp;
			this.pmp = pmp;
		}

		CompletableFuture<PortMapper> start() {
			var pcpProbe = this.pcp.announce();
			var pmpProbe = this.pmp.externalAddress();
			pcpProbe.whenComplete((response, failure) -> {
				if (failure == null) {
					// Any PCP version 2 answer, even an error, proves the router speaks PCP.
					pmpProbe.cancel(false);
					choose(new PcpPortMapper(this.pcp), this.pmp);
				}
				else {
					this.pcpFailure = NatException.of(failure, null);
					if (this.pmpAnswered) {
						choose(new PmpPortMapper(this.pmp), this.pcp);
					}
					else if (this.pmpFailure != null) {
						failBoth();
					}
				}
			});
			pmpProbe.whenComplete((response, failure) -> {
				if (failure != null) {
					this.pmpFailure = NatException.of(failure, null);
					if (this.pcpFailure != null) {
						failBoth();
					}
					return;
				}
				this.pmpAnswered = true;
				if (this.pcpFailure != null) {
					choose(new PmpPortMapper(this.pmp), this.pcp);
					return;
				}
				long rtt = System.nanoTime() - this.startedNanos;
				long grace = Math.min(MAX_PCP_GRACE_NANOS, Math.max(MIN_PCP_GRACE_NANOS, 2 * rtt));
				PortMapperSelector.this.loop.scheduleNanos(() -> {
					if (!this.winner.isDone()) {
						pcpProbe.cancel(false);
						choose(new PmpPortMapper(this.pmp), this.pcp);
					}
				}, grace);
			});
			return this.winner;
		}

		private void choose(PortMapper mapper, AutoCloseable loser) {
			if (this.winner.isDone()) {
				return;
			}
			try {
				loser.close();
			}
			catch (Exception ex) {
				logger.log(Level.DEBUG, "Closing probe client failed", ex);
			}
			logger.log(Level.DEBUG, () -> "Gateway " + mapper.gateway() + " speaks " + mapper.protocol().displayName()
					+ " (probe took " + Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis() + " ms)");
			this.winner.complete(mapper);
		}

		private void failBoth() {
			this.pcp.close();
			this.pmp.close();
			NatException pcpCause = this.pcpFailure;
			NatException pmpCause = this.pmpFailure;
			NatErrorKind kind = (pmpCause != null) ? pmpCause.kind() : NatErrorKind.NO_RESPONSE;
			this.winner.completeExceptionally(new NatException(kind, null, NatException.NO_ROUTER_CODE,
					"Gateway answers neither PCP (" + ((pcpCause != null) ? pcpCause.getMessage() : "?")
							+ ") nor NAT-PMP (" + ((pmpCause != null) ? pmpCause.getMessage() : "?") + ")"));
		}

	}

}
