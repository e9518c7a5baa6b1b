package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatException;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The engine's IPv6 half: the mappings of family {@link StandardProtocolFamily#INET6}, firewall pinholes for
 * this host's stable address, kept by a runner of their own, so that what the IPv4 router says (its
 * announcements, its external address) never touches them and a missing IPv6 firewall never touches the IPv4
 * mappings. While pinholes are open, the host's stable address is checked now and then, and they follow it when it
 * changes. Runs on the engine's loop thread.
 */
final class PinholeLane implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(PinholeLane.class.getName());

	private final NatEventLoop loop;

	private final PinholeSelector selector;

	private final MappingRunner runner;

	private final long addressCheckNanos;

	private NatEventLoop.@Nullable Timer addressCheck;

	/** What STUN servers see of this host over IPv6, when servers are configured. */
	private final @Nullable StunMonitor stun;

	/**
	 * Whether pinholes are possible here, once read: the first read (the routing table, the interfaces, whose
	 * first lookup in a JVM costs milliseconds) happens during discovery on the loop, not on the thread that
	 * starts the web server. The address check keeps it current.
	 */
	private volatile @Nullable Boolean possible;

	PinholeLane(MappingEngineBuilder builder, NatEventLoop loop, Map<String, ManagedMapping> mappings,
			PermanentLeases permanentLeases, Listeners listeners, IgnoredDatagrams ignored, Clock clock) {
		this.loop = loop;
		this.addressCheckNanos = builder.ipv6AddressCheckInterval.toNanos();
		this.selector = new PinholeSelector(builder.mode, builder.firstGateway(), builder.ipv6Routes, builder.ipv6Addresses, loop,
				builder.retransmission, ignored, this::firewallLostState, builder.ssdpPort);
		this.runner = new MappingRunner(StandardProtocolFamily.INET6, mappings, loop, this.selector, permanentLeases,
				new RouterAddress(clock, () -> {
				}), null, null, listeners, clock, builder.renewalPolicy, builder.verificationInterval,
				new OutageLog(builder.warningPause));
		this.stun = builder.stunServers.isEmpty() ? null
				: StunMonitor.ipv6(loop, builder.stunServers, builder.stunCheckInterval, builder.stunRetransmission,
						clock, this::stunChecked, this.selector::address);
	}

	/**
	 * The last IPv6 STUN check.
	 * @return the check, empty without STUN servers or before the first check ended
	 */
	Optional<StunObservation> stunObservation() {
		StunMonitor monitor = this.stun;
		return Optional.ofNullable((monitor != null) ? monitor.current() : null);
	}

	private void stunChecked(@Nullable StunObservation previous, StunObservation current) {
		if (!current.differsFrom(previous)) {
			return;
		}
		Inet6Address own = this.selector.address();
		InetAddress seen = current.publicAddress();
		if (seen == null) {
			// Many STUN servers have no IPv6 address: worth knowing, not worth a warning.
			logger.log(Level.INFO, () -> "IPv6 STUN check failed: "
					+ Objects.requireNonNull(current.failure()).getMessage());
		}
		else if (own != null && !own.equals(seen)) {
			logger.log(Level.WARNING, () -> "STUN server " + current.server() + " sees this host's IPv6 traffic from "
					+ IpLiteral.format(seen) + ", not from " + IpLiteral.format(own) + ", the address the pinholes are "
					+ "for: a prefix translation (NPTv6) or NAT66 sits in front of the router, and the pinholes "
					+ "cannot be reached from the internet at this host's own address");
		}
		else {
			logger.log(Level.INFO, () -> "STUN server " + current.server() + " sees this host at "
					+ IpLiteral.format(seen) + " over IPv6 (checked in " + current.duration().toMillis() + " ms)");
		}
	}

	MappingRunner runner() {
		return this.runner;
	}

	/**
	 * The address pinholes are opened for, once known.
	 * @return the address
	 */
	Optional<Inet6Address> address() {
		return Optional.ofNullable(this.selector.address());
	}

	/**
	 * Whether this host has what a pinhole needs: a default IPv6 route and a stable global address on its
	 * interface.
	 * @return true if pinholes can be asked for
	 */
	boolean possible() {
		Boolean known = this.possible;
		if (known == null) {
			known = this.selector.possible();
			this.possible = known;
		}
		return known;
	}

	/** Finds the IPv6 firewall ahead of the first pinhole, where this host has what one needs. */
	void discover() {
		boolean can = this.selector.possible();
		this.possible = can;
		if (can) {
			this.selector.select().whenComplete((mapper, failure) -> {
				StunMonitor monitor = this.stun;
				if (failure == null && monitor != null) {
					monitor.start();
				}
				if (failure != null) {
					// Many routers firewall IPv6 and open nothing on request: then the server is reached over IPv4
					// only, as without natboot, and no pinhole is asked for at every start and retried for ever.
					this.possible = false;
					logger.log(Level.INFO, () -> "No IPv6 pinhole for this host: "
							+ NatException.of(failure, null).getMessage() + "; the web server is reachable over IPv4 only");
				}
			});
		}
	}

	/** Starts following this host's address, once there is a pinhole to follow it with. */
	void attempt(ManagedMapping mapping) {
		if (this.addressCheck == null && !this.loop.isClosed()) {
			this.addressCheck = this.loop.scheduleNanos(this::checkAddress, this.addressCheckNanos);
		}
		this.runner.attempt(mapping);
	}

	private void checkAddress() {
		if (this.selector.addressChanged()) {
			this.possible = null;
			this.runner.remapAll(false);
			StunMonitor monitor = this.stun;
			if (monitor != null) {
				monitor.checkSoon();
			}
		}
		this.addressCheck = this.loop.isClosed() ? null : this.loop.scheduleNanos(this::checkAddress, this.addressCheckNanos);
	}

	private void firewallLostState() {
		this.runner.remapAll(true);
	}

	@Override
	public void close() {
		NatEventLoop.Timer check = this.addressCheck;
		if (check != null) {
			check.cancel();
		}
		StunMonitor monitor = this.stun;
		if (monitor != null) {
			monitor.close();
		}
		this.selector.close();
	}

}
