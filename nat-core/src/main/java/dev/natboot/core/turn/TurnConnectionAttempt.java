package dev.natboot.core.turn;

import java.net.InetSocketAddress;

/**
 * A peer connected to a TCP allocation's relayed address (a ConnectionAttempt indication, RFC 6062 section 5.3):
 * {@link TurnAllocation#openConnection(int)} within 30 seconds accepts it.
 *
 * @param connectionId the server's name for the connection
 * @param peer the peer's address
 */
public record TurnConnectionAttempt(int connectionId, InetSocketAddress peer) {
}
