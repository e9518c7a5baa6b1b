package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatMode;

/**
 * Whether what is mapped on the router can be reached from the internet at all, as far as the engine can tell:
 * the router's own external address (from any protocol that answered) and what STUN servers see. Says so once
 * in the log and tells listeners when it changes, whichever mode and protocol is in use. Runs on the loop thread.
 */
final class RouterStatus {

	private static final System.Logger logger = System.getLogger(MappingEngine.class.getName());

	private final NatMode mode;

	private final Listeners listeners;

	private final Supplier<GatewayInfo> info;

	private final RouterAddress address;

	private boolean stunMismatch;

	private boolean behindAnotherNat;

	RouterStatus(NatMode mode, Clock clock, Listeners listeners, Supplier<GatewayInfo> info) {
		this.mode = mode;
		this.listeners = listeners;
		this.info = info;
		this.address = new RouterAddress(clock, this::reevaluate);
	}

	RouterAddress address() {
		return this.address;
	}

	/** Looks again at what is known, after the router's address or a STUN check changed. */
	void reevaluate() {
		GatewayInfo gateway = this.info.get();
		if (this.mode.kind() != NatMode.Kind.STUN && gateway.isStunMismatch() != this.stunMismatch) {
			this.stunMismatch = gateway.isStunMismatch();
			if (this.stunMismatch) {
				logger.log(Level.WARNING, () -> "The router's external address is "
						+ Objects.requireNonNull(gateway.externalAddress()).getHostAddress()
						+ " but a STUN server sees this host at "
						+ Objects.requireNonNull(gateway.stunAddress()).getHostAddress()
						+ ": another NAT (double NAT or carrier-grade NAT) sits in front of the router, and mapped ports "
						+ "are not reachable from the internet");
			}
			else {
				logger.log(Level.INFO, "The router's external address and the STUN-observed address agree again");
			}
		}
		boolean behind = this.mode.kind().usesRouter() && gateway.isBehindAnotherNat();
		if (behind == this.behindAnotherNat) {
			return;
		}
		this.behindAnotherNat = behind;
		InetAddress external = gateway.externalAddress();
		if (behind && !gateway.isStunMismatch() && external != null) {
			logger.log(Level.WARNING, () -> "The router's own external address is " + external.getHostAddress() + " ("
					+ describe(AddressScope.of(external)) + "): another NAT sits in front of it, or it is not connected, "
					+ "so ports mapped on it are not reachable from the internet");
		}
		else if (!behind) {
			logger.log(Level.INFO, () -> "The router's external address "
					+ ((external != null) ? external.getHostAddress() + " " : "") + "is public again");
		}
		this.listeners.tell("behindAnotherNatChanged", (listener) -> listener.behindAnotherNatChanged(gateway));
	}

	private static String describe(AddressScope scope) {
		return switch (scope) {
			case SHARED -> "shared address space of carrier-grade NAT, 100.64.0.0/10";
			case PRIVATE -> "a private address";
			case UNSPECIFIED -> "unset";
			case LOCAL -> "a loopback or link-local address";
			default -> scope.name().toLowerCase(Locale.ROOT);
		};
	}

}
