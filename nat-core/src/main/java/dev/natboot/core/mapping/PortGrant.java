package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * What a router granted.
 *
 * @param protocol how it was obtained
 * @param gateway the router, {@code null} for manual forwarding
 * @param externalAddress external address
 * @param externalPort external port, which may differ from the one asked for
 * @param lifetime lifetime granted, which may differ from the one asked for; {@code null} for no expiry
 * @param recreated whether a renewal found that the router had dropped the mapping, and created it again
 */
public record PortGrant(NatProtocol protocol, @Nullable InetSocketAddress gateway, InetAddress externalAddress,
		int externalPort, @Nullable Duration lifetime, boolean recreated) {

	public PortGrant(NatProtocol protocol, @Nullable InetSocketAddress gateway, InetAddress externalAddress,
			int externalPort, @Nullable Duration lifetime) {
		this(protocol, gateway, externalAddress, externalPort, lifetime, false);
	}

}
