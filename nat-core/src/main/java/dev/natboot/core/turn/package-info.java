/**
 * Traversal Using Relays around NAT (RFC 8656) with TCP relays (RFC 6062), built on the STUN codec: the server's
 * URI (RFC 7065), ChannelData framing, and a blocking {@link dev.natboot.core.turn.TurnAllocation} over UDP,
 * TCP or TLS to the server, with long-term credentials.
 */
@NullMarked
package dev.natboot.core.turn;

import org.jspecify.annotations.NullMarked;
