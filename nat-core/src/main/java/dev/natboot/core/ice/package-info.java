/**
 * Interactive Connectivity Establishment (RFC 8445): what two agents exchange over the application's signalling
 * (candidates and credentials in the SDP forms of RFC 8839), priorities and foundations (RFC 8445 section 5.1.2),
 * and the STUN attributes of connectivity checks (in {@code dev.natboot.core.stun}).
 */
@NullMarked
package dev.natboot.core.ice;

import org.jspecify.annotations.NullMarked;
