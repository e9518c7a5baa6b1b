/**
 * Relay fallback: the application's server reachable through a relay when no mapping can make it reachable.
 * {@link dev.natboot.relay.RelayManager} decides when a {@link dev.natboot.relay.Relay} is needed, from what the
 * mapping engine and the checks from outside report; the relay itself ({@code ssh} package) keeps the tunnel up.
 */
@NullMarked
package dev.natboot.relay;

import org.jspecify.annotations.NullMarked;
