/**
 * The relay through an SSH server the user controls: a remote port forward (RFC 4254 {@code tcpip-forward}) kept
 * up with keepalives and reconnects, the server's host key always verified against known hosts.
 */
@NullMarked
package dev.natboot.relay.ssh;

import org.jspecify.annotations.NullMarked;
