package dev.natboot.core.upnp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;

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
 * @param announcedAs what the device's SSDP announcements say of it: its UUIDs, LOCATION and BOOTID as the search
 * answer and the description gave them
 */
public record UpnpGateway(InetAddress device, URI location, IgdDescription description, IgdService service,
		InetAddress internalClient, @Nullable InetAddress externalAddress, long discoveredNanos,
		Identity announcedAs) {

	/**
	 * A gateway known only by its description.
	 * @param device the gateway
	 * @param location its description
	 * @param description what the description offers
	 * @param service the WAN connection service to use
	 * @param internalClient this host's address toward the gateway
	 * @param externalAddress the router's external address as it answered during discovery
	 * @param discoveredNanos {@link System#nanoTime()} when the discovery ended
	 */
	public UpnpGateway(InetAddress device, URI location, IgdDescription description, IgdService service,
			InetAddress internalClient, @Nullable InetAddress externalAddress, long discoveredNanos) {
		this(device, location, description, service, internalClient, externalAddress, discoveredNanos,
				new Identity(description.deviceIds(), location.toString(), null));
	}

	/**
	 * The same gateway, mapping for another internal client: the address the router sees this host's requests
	 * come from, when a NAT between them (a container bridge) translates it.
	 * @param client the internal client
	 * @return the gateway
	 */
	public UpnpGateway withInternalClient(InetAddress client) {
		return new UpnpGateway(this.device, this.location, this.description, this.service, client,
				this.externalAddress, this.discoveredNanos, this.announcedAs);
	}

	public InetSocketAddress endpoint() {
		return new InetSocketAddress(this.device, this.location.getPort());
	}

	/**
	 * How the gateway's own SSDP announcements can be told from any other device's: announcements name the
	 * announcing device's UUID in their USN and repeat the LOCATION of its search answer.
	 *
	 * @param deviceIds UUIDs of the root device and its embedded devices, lower case
	 * @param rawLocation the LOCATION header of the search answer, as written
	 * @param bootId the BOOTID.UPNP.ORG of the search answer, {@code null} if it had none
	 */
	public record Identity(Set<String> deviceIds, String rawLocation, @Nullable String bootId) {

		public Identity {
			deviceIds = Set.copyOf(deviceIds);
		}

	}

}
