package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Set;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * What the engine knows of the router.
 *
 * @param gateway the router in use, {@code null} before one answered
 * @param protocol the protocol in use
 * @param answered every protocol the router answered when it was last probed
 * @param externalAddress the external address it last reported
 * @param previousExternalAddress the external address before the last change, {@code null} if it never changed
 * @param externalAddressChangedAt when the last change was seen
 * @param stunAddress this host's public address as a STUN server last saw it, {@code null} when no check succeeded
 */
public record GatewayInfo(@Nullable InetSocketAddress gateway, @Nullable NatProtocol protocol, Set<NatProtocol> answered,
		@Nullable InetAddress externalAddress, @Nullable InetAddress previousExternalAddress,
		@Nullable Instant externalAddressChangedAt, @Nullable InetAddress stunAddress) {

	public GatewayInfo {
		answered = Set.copyOf(answered);
	}

	/**
	 * What the engine knows of a router, before any STUN check.
	 * @param gateway the router in use
	 * @param protocol the protocol in use
	 * @param answered every protocol the router answered
	 * @param externalAddress the external address it last reported
	 * @param previousExternalAddress the external address before the last change
	 * @param externalAddressChangedAt when the last change was seen
	 */
	public GatewayInfo(@Nullable InetSocketAddress gateway, @Nullable NatProtocol protocol, Set<NatProtocol> answered,
			@Nullable InetAddress externalAddress, @Nullable InetAddress previousExternalAddress,
			@Nullable Instant externalAddressChangedAt) {
		this(gateway, protocol, answered, externalAddress, previousExternalAddress, externalAddressChangedAt, null);
	}

	/**
	 * Whether mappings on this router cannot be reached from the internet because another NAT sits in front of it:
	 * its own external address is private, shared or unset, or a STUN server sees this host at another address
	 * than the one the router reports (double NAT, carrier-grade NAT).
	 * @return true when known to be behind another NAT, false when not or unknown
	 */
	public boolean isBehindAnotherNat() {
		InetAddress external = this.externalAddress;
		return external != null && (!AddressScope.of(external).isReachableFromInternet() || isStunMismatch());
	}

	/**
	 * Whether a STUN server sees this host at another address than the router's external address.
	 * @return true when both are known and differ
	 */
	public boolean isStunMismatch() {
		InetAddress external = this.externalAddress;
		InetAddress seen = this.stunAddress;
		// An IPv6 STUN server sees no IPv4 NAT: only addresses of one family compare.
		return external != null && seen != null && external.getClass() == seen.getClass() && !external.equals(seen);
	}

}
