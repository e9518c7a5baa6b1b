package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The router's own external address as the engine learns it: from every grant, and, when the router refuses
 * to map at all, from asking it once. Remembers the previous address and when it changed. Written on the
 * engine's loop thread, read from any.
 */
final class RouterAddress {

	private static final System.Logger logger = System.getLogger(RouterAddress.class.getName());

	private final Clock clock;

	private volatile @Nullable InetAddress current;

	private volatile @Nullable InetAddress previous;

	private volatile @Nullable Instant changedAt;

	/** The router last asked for its address after a refusal. */
	private @Nullable PortMapper askedOf;

	RouterAddress(Clock clock) {
		this.clock = clock;
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
	 * @return the address it replaces, when it changed; {@code null} the first time or when unchanged
	 */
	@Nullable InetAddress granted(InetAddress address) {
		InetAddress before = this.current;
		this.current = address;
		if (before == null || before.equals(address)) {
			return null;
		}
		this.previous = before;
		this.changedAt = this.clock.instant();
		return before;
	}

	/**
	 * A router that refuses every mapping may have no public address to map on (miniupnpd behind a
	 * carrier-grade NAT refuses with NO_RESOURCES or 501): its own external address tells, once per router,
	 * so that health and metrics can say "behind another NAT" rather than only repeat the refusal.
	 * @param mapper the router that refused
	 */
	void askAfterRefusal(PortMapper mapper) {
		if (this.current != null || this.askedOf == mapper) {
			return;
		}
		this.askedOf = mapper;
		mapper.routerAddress().whenComplete((address, failure) -> {
			if (address != null && address.isPresent() && this.current == null) {
				InetAddress reported = address.get();
				this.current = reported;
				logger.log(Level.DEBUG, () -> "Router refusing mappings reports external address "
						+ reported.getHostAddress());
			}
		});
	}

}
