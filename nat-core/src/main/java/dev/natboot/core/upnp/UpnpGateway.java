package dev.natboot.core.upnp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * An Internet Gateway Device ready to map: its address, the service chosen, and the LAN address this host
 * has toward it (the internal client of every mapping).
 *
 * @param device the gateway
 * @param location its description
 * @param description what the description offers
 * @param service the WAN connection service to use
 * @param internalClient this host's address toward the gateway
 * @param externalAddress the router's external address as it answered during discovery, {@code null} if it did
 * not say
 * @param discoveredNanos {@link System#nanoTime()} when the discovery ended
 */
public record UpnpGateway(InetAddress device, URI location, IgdDescription description, IgdService service,
		InetAddress internalClient, @Nullable InetAddress externalAddress, long discoveredNanos) {

	public InetSocketAddress endpoint() {
		return new InetSocketAddress(this.device, this.location.getPort());
	}

}
