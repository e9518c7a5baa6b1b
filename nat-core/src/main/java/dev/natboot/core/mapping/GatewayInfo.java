package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * What the engine knows of the router.
 *
 * @param gateway the router in use, {@code null} before one answered
 * @param protocol the protocol in use
 * @param answered every protocol the router answered when it was last probed
 * @param externalAddress the external address it last reported
 */
public record GatewayInfo(@Nullable InetSocketAddress gateway, @Nullable NatProtocol protocol, Set<NatProtocol> answered,
		@Nullable InetAddress externalAddress) {

	public GatewayInfo {
		answered = Set.copyOf(answered);
	}

}
