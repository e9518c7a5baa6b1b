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
 */
public record GatewayInfo(@Nullable InetSocketAddress gateway, @Nullable NatProtocol protocol, Set<NatProtocol> answered,
		@Nullable InetAddress externalAddress, @Nullable InetAddress previousExternalAddress,
		@Nullable Instant externalAddressChangedAt) {

	public GatewayInfo {
		answered = Set.copyOf(answered);
	}

	/**
	 * Whether the router's own external address cannot be reached from the internet (private, shared or
	 * unset): mappings on it are then not reachable either, as another NAT sits in front of the router.
	 * @return true when known to be behind another NAT, false when public or unknown
	 */
	public boolean isBehindAnotherNat() {
		InetAddress external = this.externalAddress;
		return external != null && !AddressScope.of(external).isReachableFromInternet();
	}

}
