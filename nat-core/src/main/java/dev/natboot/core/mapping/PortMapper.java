package dev.natboot.core.mapping;

import java.net.InetSocketAddress;
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

	@Override
	void close();

}
