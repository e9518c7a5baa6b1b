package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.NatBehavior;
import dev.natboot.core.stun.NatBehaviorDiscovery;
import dev.natboot.core.stun.StunClient;
import dev.natboot.core.stun.StunResponse;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.stun.StunTcpClient;
import org.jspecify.annotations.Nullable;

/**
 * Asks STUN servers, now and then, what this host looks like from outside: the servers in order until one answers,
 * over UDP with NAT behaviour discovery (RFC 5780) or over TCP, at each server's IPv4 address; or, for the IPv6
 * check ({@link #ipv6}), at its IPv6 address. Runs on the engine's loop; only a host name is resolved on a
 * short-lived thread of its own, as DNS blocks.
 */
final class StunMonitor implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(StunMonitor.class.getName());

	private final NatEventLoop loop;

	private final List<StunServer> servers;

	private final Transport transport;

	private final long intervalNanos;

	private final boolean discoverBehavior;

	private final Retransmission retransmission;

	private final Clock clock;

	private final BiConsumer<@Nullable StunObservation, StunObservation> checked;

	/**
	 * For the IPv6 check: the address to send from (the pinholes' stable address, not a temporary one the kernel
	 * would choose); {@code null} for the IPv4 check, which lets the routing table choose.
	 */
	private final @Nullable Supplier<@Nullable Inet6Address> ipv6Source;

	private volatile @Nullable StunObservation current;

	private volatile @Nullable StunObservation lastSuccessful;

	private @Nullable CompletableFuture<StunObservation> running;

	private NatEventLoop.@Nullable Timer next;

	private boolean started;

	private volatile boolean closed;

	StunMonitor(NatEventLoop loop, List<StunServer> servers, Transport transport, Duration interval,
			boolean discoverBehavior, Retransmission retransmission, Clock clock,
			BiConsumer<@Nullable StunObservation, StunObservation> checked) {
		this(loop, servers, transport, interval, discoverBehavior, retransmission, clock, checked, null);
	}

	private StunMonitor(NatEventLoop loop, List<StunServer> servers, Transport transport, Duration interval,
			boolean discoverBehavior, Retransmission retransmission, Clock clock,
			BiConsumer<@Nullable StunObservation, StunObservation> checked,
			@Nullable Supplier<@Nullable Inet6Address> ipv6Source) {
		this.ipv6Source = ipv6Source;
		this.loop = loop;
		this.servers = List.copyOf(servers);
		this.transport = transport;
		this.intervalNanos = interval.toNanos();
		this.discoverBehavior = discoverBehavior;
		this.retransmission = retransmission;
		this.clock = clock;
		this.checked = checked;
	}

	/**
	 * A monitor of what the internet sees of this host over IPv6: a Binding over UDP from the given address to
	 * each server's IPv6 address (a literal, or the name's first AAAA record). No NAT behaviour is discovered: an
	 * IPv6 host is not translated, unless a prefix translation (NPTv6) or NAT66 sits in front, which the answer
	 * shows.
	 */
	static StunMonitor ipv6(NatEventLoop loop, List<StunServer> servers, Duration interval,
			Retransmission retransmission, Clock clock, BiConsumer<@Nullable StunObservation, StunObservation> checked,
			Supplier<@Nullable Inet6Address> source) {
		return new StunMonitor(loop, servers, Transport.UDP, interval, false, retransmission, clock, checked, source);
	}

	@Nullable StunObservation current() {
		return this.current;
	}

	@Nullable StunObservation lastSuccessful() {
		return this.lastSuccessful;
	}

	/** Starts the periodic checks, once; on the loop thread. */
	void start() {
		if (!this.started && !this.closed) {
			this.started = true;
			check();
		}
	}

	/** Checks now, unless a check is under way; on the loop thread. */
	void checkSoon() {
		if (this.started && this.running == null) {
			check();
		}
	}

	/**
	 * The public address, from the last check if it succeeded, else from a new one; on the loop thread.
	 * @return the address; fails with the check's {@link NatException}
	 */
	CompletableFuture<StunObservation> observation() {
		StunObservation known = this.current;
		if (known != null && known.succeeded()) {
			return CompletableFuture.completedFuture(known);
		}
		this.started = true;
		return check().thenCompose((observation) -> {
			NatException failure = observation.failure();
			return (failure != null) ? CompletableFuture.failedFuture(failure)
					: CompletableFuture.completedFuture(observation);
		});
	}

	private CompletableFuture<StunObservation> check() {
		CompletableFuture<StunObservation> underWay = this.running;
		if (underWay != null) {
			return underWay;
		}
		NatEventLoop.Timer scheduled = this.next;
		if (scheduled != null) {
			scheduled.cancel();
		}
		CompletableFuture<StunObservation> result = checkFrom(0, System.nanoTime());
		this.running = result;
		result.whenComplete((observation, failure) -> {
			this.running = null;
			if (observation != null && !this.closed) {
				StunObservation previous = this.current;
				this.current = observation;
				if (observation.succeeded()) {
					this.lastSuccessful = observation;
				}
				this.checked.accept(previous, observation);
			}
			if (!this.closed && !this.loop.isClosed()) {
				this.next = this.loop.scheduleNanos(this::check, this.intervalNanos);
			}
		});
		return result;
	}

	private CompletableFuture<StunObservation> checkFrom(int index, long startedNanos) {
		StunServer server = this.servers.get(index);
		return resolve(server).thenCompose(this::probe)
			.thenApply((observed) -> new StunObservation(server, this.transport, observed.endpoint(), observed.behavior(),
					this.clock.instant(), Duration.ofNanos(System.nanoTime() - startedNanos), null))
			.exceptionallyCompose((failure) -> {
				NatException cause = NatException.of(unwrap(failure), NatProtocol.STUN);
				logger.log(Level.DEBUG, () -> "STUN server " + server + " failed: " + cause.getMessage());
				if (index + 1 < this.servers.size() && !this.closed) {
					return checkFrom(index + 1, startedNanos);
				}
				return CompletableFuture.completedFuture(
						new StunObservation(server, this.transport, null, null, this.clock.instant(),
								Duration.ofNanos(System.nanoTime() - startedNanos), cause));
			});
	}

	private CompletableFuture<InetSocketAddress> resolve(StunServer server) {
		if (server.isLiteral()) {
			try {
				return CompletableFuture.completedFuture(resolveNow(server));
			}
			catch (NatException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		CompletableFuture<InetSocketAddress> resolved = new CompletableFuture<>();
		Thread resolver = new Thread(() -> {
			try {
				InetSocketAddress address = resolveNow(server);
				this.loop.execute(() -> resolved.complete(address));
			}
			catch (NatException ex) {
				this.loop.execute(() -> resolved.completeExceptionally(ex));
			}
			catch (RuntimeException ex) {
				// The loop closed meanwhile: nobody waits any more.
				resolved.completeExceptionally(ex);
			}
		}, "natboot-stun-dns");
		resolver.setDaemon(true);
		resolver.start();
		return resolved;
	}

	private InetSocketAddress resolveNow(StunServer server) throws NatException {
		// Each check asks in its own family: an IPv6 answer says nothing of the IPv4 NAT, nor the reverse.
		return server.resolve((this.ipv6Source != null) ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
	}

	private CompletableFuture<Observed> probe(InetSocketAddress server) {
		if (this.transport == Transport.TCP) {
			return new StunTcpClient(this.loop).binding(server, this.retransmission.worstCase())
				.thenApply((answer) -> new Observed(answer.mappedAddress(), null));
		}
		if (this.discoverBehavior) {
			return new NatBehaviorDiscovery(this.loop, this.retransmission).discover(server)
				.thenApply((behavior) -> new Observed(behavior.mappedAddress(), behavior));
		}
		StunClient client;
		try {
			InetAddress local = (this.ipv6Source != null) ? this.ipv6Source.get() : StunClient.localAddressToward(server);
			if (local == null) {
				return CompletableFuture.failedFuture(new NatException(dev.natboot.core.NatErrorKind.NO_GATEWAY,
						NatProtocol.STUN, NatException.NO_ROUTER_CODE, "This host has no stable IPv6 address"));
			}
			client = new StunClient(this.loop, new InetSocketAddress(local, 0));
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return client.binding(server, this.retransmission)
			.thenApply((StunResponse answer) -> new Observed(answer.mappedAddress(), null))
			.whenComplete((answer, failure) -> client.close());
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	@Override
	public void close() {
		this.closed = true;
		NatEventLoop.Timer scheduled = this.next;
		if (scheduled != null) {
			scheduled.cancel();
		}
	}

	private record Observed(InetSocketAddress endpoint, @Nullable NatBehavior behavior) {

	}

}
