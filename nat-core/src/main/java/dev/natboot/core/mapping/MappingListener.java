package dev.natboot.core.mapping;

import java.net.InetAddress;

import dev.natboot.core.NatException;
import org.jspecify.annotations.Nullable;

/**
 * Told what happens to mappings. Called on the engine's thread, one call at a time and never while the engine
 * holds a lock; an implementation must return quickly and must not block on the engine.
 */
public interface MappingListener {

	/**
	 * A router confirmed a mapping for the first time, or again after it had been lost.
	 * @param mapping the mapping
	 */
	default void mappingCreated(Mapping mapping) {
	}

	/**
	 * A renewal succeeded with the same external address and port.
	 * @param mapping the mapping
	 */
	default void mappingRenewed(Mapping mapping) {
	}

	/**
	 * A renewal succeeded with another external address or port.
	 * @param previous the mapping before
	 * @param current the mapping now
	 */
	default void mappingChanged(Mapping previous, Mapping current) {
	}

	/**
	 * A renewal found that the router had dropped the mapping (it restarted, or its table was flushed); the
	 * engine created it again, and {@link #mappingCreated(Mapping)} follows.
	 * @param mapping the mapping as it was before the router dropped it
	 */
	default void mappingLost(Mapping mapping) {
	}

	/**
	 * The router's external address differs from the one it reported before.
	 * @param previous the address before
	 * @param current the address now
	 */
	default void externalAddressChanged(InetAddress previous, InetAddress current) {
	}

	/**
	 * A STUN check ended (see {@link MappingEngineBuilder#stunServers}).
	 * @param previous the check before, {@code null} for the first
	 * @param current this check; {@link StunObservation#differsFrom} tells whether anything users watch changed
	 */
	default void stunChecked(@Nullable StunObservation previous, StunObservation current) {
	}

	/**
	 * The router started or stopped being known to sit behind another NAT: its own external address is not
	 * public (carrier-grade NAT, a private address, none at all), whichever protocol told, or a STUN server sees
	 * this host at another address (double NAT). Ports mapped on such a router are not reachable from the
	 * internet.
	 * @param gateway what the engine knows now; {@link GatewayInfo#isBehindAnotherNat()} tells which way it went,
	 * {@link GatewayInfo#isStunMismatch()} whether a STUN server revealed it
	 */
	default void behindAnotherNatChanged(GatewayInfo gateway) {
	}

	/**
	 * An attempt failed; the engine will try again.
	 * @param mapping the mapping after the failure
	 * @param cause what went wrong
	 */
	default void mappingFailed(Mapping mapping, NatException cause) {
	}

	/**
	 * A mapping was released: its state is {@link MappingState#REMOVED} when the router confirmed, or
	 * {@link MappingState#ABANDONED} when it failed to, with the failure in {@link Mapping#lastError()}.
	 * @param mapping the mapping
	 */
	default void mappingRemoved(Mapping mapping) {
	}

	/**
	 * An exchange with the router began: its request is on its way (or waits for the router to be found).
	 * {@link #operationCompleted(MappingOperation)} follows with the same id. For tracing; metrics need only the
	 * completion.
	 * @param started what is asked, of which protocol
	 */
	default void operationStarted(MappingOperation.Started started) {
	}

	/**
	 * An exchange with the router ended, successfully or not. For a creation or a renewal, called after the
	 * mapping event it leads to, so that what listeners do with it never delays that event.
	 * @param operation what was asked, of which protocol, how long it took and how it ended
	 */
	default void operationCompleted(MappingOperation operation) {
	}

}
