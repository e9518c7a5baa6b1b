package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.Transport;

/**
 * Maps an agent's UDP socket, or the port of its passive TCP candidate, on the router (PCP, NAT-PMP or UPnP), so
 * that the router's external address and port reach it from anywhere: a port-mapped candidate, which connects
 * even behind a NAT that gives every destination a port of its own. The mapping engine does it (see
 * {@code MappingEnginePortMapper}).
 */
public interface IcePortMapper {

	/**
	 * Asks for a mapping of a socket's port.
	 * @param base the socket's local address and port
	 * @return the external address and port; completes exceptionally, or with {@code null}, when the router
	 *     maps nothing (the agent then goes on without this candidate)
	 */
	CompletableFuture<InetSocketAddress> map(InetSocketAddress base);

	/**
	 * Gives a mapping back once the agent is closed.
	 * @param base the socket it was asked for
	 */
	void release(InetSocketAddress base);

	/**
	 * Asks for a mapping of a UDP socket's port or a TCP listener's; a mapper that maps UDP alone leaves TCP
	 * candidates without a port-mapped one.
	 * @param transport the socket's transport
	 * @param base the socket's local address and port
	 * @return the external address and port, as {@link #map(InetSocketAddress)}
	 */
	default CompletableFuture<InetSocketAddress> map(Transport transport, InetSocketAddress base) {
		return (transport == Transport.UDP) ? map(base) : CompletableFuture.completedFuture(null);
	}

	/**
	 * Gives a mapping of either transport back.
	 * @param transport the socket's transport
	 * @param base the socket it was asked for
	 */
	default void release(Transport transport, InetSocketAddress base) {
		if (transport == Transport.UDP) {
			release(base);
		}
	}

}
