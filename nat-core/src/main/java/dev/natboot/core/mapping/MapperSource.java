package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link MappingRunner} gets the mapper it asks: the IPv4 router's protocols ({@link PortMapperSelector})
 * or the IPv6 firewall's ({@link PinholeSelector}). Runs on the engine's loop thread.
 */
interface MapperSource extends AutoCloseable {

	/**
	 * The mapper to use, probing first if none is chosen yet; concurrent callers share one probe.
	 * @return the mapper
	 */
	CompletableFuture<PortMapper> select();

	/**
	 * The mapper currently in use.
	 * @return the mapper, or {@code null} before the first successful selection
	 */
	@Nullable PortMapper selected();

	/**
	 * Forgets a mapper that stopped answering, so that the next selection probes again.
	 * @param mapper the mapper that failed
	 */
	void discard(PortMapper mapper);

	/**
	 * Asks the router for its own external address after it refused a mapping.
	 * @param mapper the mapper that was refused
	 * @return the address; empty when nothing could ask
	 */
	default CompletableFuture<Optional<InetAddress>> routerAddress(PortMapper mapper) {
		return mapper.routerAddress();
	}

	@Override
	void close();

}
