package dev.natboot.spring.shield;

import java.net.InetSocketAddress;

/**
 * Tells connections that came through a relay: they reach the web server from this host (the relay's local end),
 * so by their peer address alone they would look local, and must count as from the internet.
 */
@FunctionalInterface
public interface RelayedConnections {

	/**
	 * Whether a connection came through a relay.
	 * @param peer the connection's peer address and port, as the web server saw them
	 * @return true when a relay opened it
	 */
	boolean isRelayed(InetSocketAddress peer);

}
