package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The router's own external address as the engine learns it: from every grant, and until the first grant from
 * whatever any protocol said of it (NAT-PMP's external address probe, UPnP's GetExternalIPAddress during
 * discovery, the address a PCP refusal names, or asking once after a refusal), whichever protocol maps. That is
 * how a router behind carrier-grade NAT is recognised in every mode. Remembers the previous address and when it
 * changed. Written on the engine's loop thread, read from any.
 */
final class RouterAddress {

	private static final System.Logger logger = System.getLogger(RouterAddress.class.getName());

	private final Clock clock;

	private final Runnable changed;

	private volatile @Nullable InetAddress current;

	private volatile @Nullable InetAddress previous;

	private volatile @Nullable Instant changedAt;

	/** Whether a grant reported the address: from then on only grants move it. */
	private boolean granted;

	/** The router last asked for its address after a refusal. */
	private @Nullable PortMapper askedOf;

	/**
	 * Creates the record.
	 * @param clock for the time of a change
	 * @param changed told, on the loop thread, whenever the known address is set or replaced
	 */
	RouterAddress(Clock clock, Runnable changed) {
		this.clock = clock;
		this.changed = changed;
	}

	@Nullable InetAddress current() {
		return this.current;
	}

	@Nullable InetAddress previous() {
		return this.previous;
	}

	@Nullable Instant changedAt() {
		return this.changedAt;
	}

	/**
	 * Records the address a grant carried.
	 * @param address the address
	 * @return the address it replaces, when a previous grant reported another; {@code null} otherwise
	 */
	@Nullable InetAddress granted(InetAddress address) {
		InetAddress before = this.current;
		boolean grantedBefore = this.granted;
		this.granted = true;
		this.current = address;
		if (address.equals(before)) {
			return null;
		}
		this.changed.run();
		if (before == null || !grantedBefore) {
			return null; // the first grant: what an answer said before it is no change to announce
		}
		this.previous = before;
		this.changedAt = this.clock.instant();
		return before;
	}

	/**
	 * Records what an answer other than a grant said of the router's own external address; ignored once a grant
	 * reported it. An address beats "none": behind carrier-grade NAT, miniupnpd's NAT-PMP and UPnP say they have
	 * no external address, while its PCP refusal names the one it has (100.64.x.y).
	 * @param address the address, 0.0.0.0 when the router says it has none
	 */
	void observed(InetAddress address) {
		InetAddress known = this.current;
		if (this.granted || address.equals(known)
				|| (address.isAnyLocalAddress() && known != null && !known.isAnyLocalAddress())) {
			return;
		}
		this.current = address;
		logger.log(Level.DEBUG, () -> "Router reports external address " + address.getHostAddress());
		this.changed.run();
	}

	/**
	 * A router that refuses every mapping may have no public address to map on (miniupnpd behind a
	 * carrier-grade NAT refuses with NO_RESOURCES or 501): its own external address tells, once per router,
	 * so that health and metrics can say "behind another NAT" rather than only repeat the refusal.
	 * @param mapper the router that refused
	 * @param ask how to ask it (in mode {@code any}, another protocol may ask for a PCP router)
	 */
	void askAfterRefusal(PortMapper mapper, Function<PortMapper, CompletableFuture<Optional<InetAddress>>> ask) {
		if (this.current != null || this.askedOf == mapper) {
			return;
		}
		this.askedOf = mapper;
		ask.apply(mapper).whenComplete((address, failure) -> {
			if (address != null && address.isPresent()) {
				observed(address.get());
			}
		});
	}

}
