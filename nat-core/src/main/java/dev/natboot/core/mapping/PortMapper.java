package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * One way of obtaining mappings from one router. Futures complete on the engine's loop thread, exceptionally
 * with a {@link NatException}.
 */
public interface PortMapper extends AutoCloseable {

	NatProtocol protocol();

	/**
	 * The router this mapper talks to.
	 * @return the router, {@code null} when none is involved
	 */
	@Nullable InetSocketAddress gateway();

	/**
	 * Creates or renews a mapping.
	 * @param request what to map
	 * @return what the router granted
	 */
	CompletableFuture<PortGrant> map(MappingRequest request);

	/**
	 * Deletes a mapping.
	 * @param request the mapping, as it was requested, with the external port that was granted
	 * @return completes when the router confirmed
	 */
	CompletableFuture<Void> unmap(MappingRequest request);

	/**
	 * Whether {@link #check(MappingRequest)} can tell if the router still holds a mapping without changing it.
	 * When it cannot, the engine verifies a mapping by renewing it, which re-creates it where it was lost.
	 * @return true if mappings can be checked
	 */
	default boolean canCheck() {
		return false;
	}

	/**
	 * Asks the router whether it still holds a mapping, and on the same external address, changing nothing.
	 * @param request the mapping, as it was requested, with the external port that was granted
	 * @param grant what the router granted last
	 * @return what the router holds
	 */
	default CompletableFuture<Presence> check(MappingRequest request, PortGrant grant) {
		return CompletableFuture.completedFuture(Presence.UNKNOWN);
	}

	/**
	 * Asks the router for its own external address, apart from any mapping: when it refuses to map, its answer
	 * tells whether it has a public address at all.
	 * @return the address, 0.0.0.0 when the router says it has none; empty when the protocol cannot ask
	 */
	default CompletableFuture<Optional<InetAddress>> routerAddress() {
		return CompletableFuture.completedFuture(Optional.empty());
	}

	/**
	 * Asks the router something that changes nothing, to check what an unsolicited announcement claims: its
	 * answer's epoch goes through the same tracker as every other answer, so a restart it shows is acted on.
	 * @return what the answer showed; a protocol with no such request completes at once, as "kept its state"
	 */
	default CompletableFuture<Probe> probe() {
		return CompletableFuture.completedFuture(new Probe(true, null));
	}

	/**
	 * Runs the in-memory half of a mapping exchange once, sending nothing: encodes a request and decodes the
	 * answer it would get. Called while the application is still starting, long before its server port is
	 * known, so that the first real mapping does not pay for loading and linking that code at the moment it
	 * should be one round trip. Never fails.
	 */
	default void warmUp() {
	}

	@Override
	void close();

	/**
	 * What a {@link #probe()} showed.
	 *
	 * @param keptState whether the router's epoch shows it kept its mappings since its previous answer
	 * @param externalAddress the external address it reported, {@code null} if the probe does not tell
	 */
	record Probe(boolean keptState, @Nullable InetAddress externalAddress) {

	}

	/** Whether the router still holds a mapping. */
	enum Presence {

		/** The router holds it, for this host and port. */
		PRESENT,

		/** The router holds nothing on that port, or holds it for someone else. */
		MISSING,

		/** The router holds it, but its external address changed. */
		ADDRESS_CHANGED,

		/** The router's answer does not say. */
		UNKNOWN

	}

}
