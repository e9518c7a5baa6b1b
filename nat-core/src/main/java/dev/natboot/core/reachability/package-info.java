/**
 * Reachability verified from outside: a TURN server opens a TCP connection from its relayed address to a
 * mapping's external endpoint (RFC 6062) and, for a web server, exchanges an HTTP request and answer through it.
 * "Mapped" then becomes "proven reachable", or "unreachable" with the likely reason.
 */
@NullMarked
package dev.natboot.core.reachability;

import org.jspecify.annotations.NullMarked;
