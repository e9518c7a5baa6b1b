package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.NatException;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingSpec;

/**
 * Port-mapped candidates from the mapping engine: each agent socket's UDP port, and each passive TCP candidate's
 * port, becomes one of the engine's mappings ({@code ice-udp-PORT}, {@code ice-tcp-PORT}), asked of the router
 * with whatever protocol it speaks, renewed while the agent
 * lives and released when it closes. A router that maps nothing within the timeout leaves the agent without the
 * candidate, never waiting for it.
 */
public final class MappingEnginePortMapper implements IcePortMapper {

	private final MappingEngine engine;

	private final Duration lease;

	private final Duration timeout;

	private final Map<String, CompletableFuture<InetSocketAddress>> pending = new ConcurrentHashMap<>();

	/**
	 * @param engine the engine, which keeps the mappings alive
	 * @param lease the lease to ask for
	 * @param timeout how long gathering waits for the router
	 */
	public MappingEnginePortMapper(MappingEngine engine, Duration lease, Duration timeout) {
		this.engine = engine;
		this.lease = lease;
		this.timeout = timeout;
		engine.addListener(new MappingListener() {

			@Override
			public void mappingCreated(Mapping mapping) {
				CompletableFuture<InetSocketAddress> waiting = MappingEnginePortMapper.this.pending.remove(mapping.name());
				if (waiting != null) {
					waiting.complete(mapping.externalEndpoint());
				}
			}

			@Override
			public void mappingFailed(Mapping mapping, NatException cause) {
				CompletableFuture<InetSocketAddress> waiting = MappingEnginePortMapper.this.pending.remove(mapping.name());
				if (waiting != null) {
					waiting.completeExceptionally(cause);
				}
			}

		});
	}

	static String nameOf(Transport transport, InetSocketAddress base) {
		return "ice-" + transport.name().toLowerCase(java.util.Locale.ROOT) + "-" + base.getPort();
	}

	@Override
	public CompletableFuture<InetSocketAddress> map(InetSocketAddress base) {
		return map(Transport.UDP, base);
	}

	@Override
	public CompletableFuture<InetSocketAddress> map(Transport transport, InetSocketAddress base) {
		if (!this.engine.isMapping()) {
			return CompletableFuture.completedFuture(null);
		}
		String name = nameOf(transport, base);
		CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
		this.pending.put(name, result);
		try {
			this.engine.add(new MappingSpec(name, transport, base.getPort(), 0, this.lease, "natboot ICE"));
		}
		catch (RuntimeException ex) {
			this.pending.remove(name, result);
			result.completeExceptionally(ex);
			return result;
		}
		return result.completeOnTimeout(null, this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((external, failure) -> this.pending.remove(name, result));
	}

	@Override
	public void release(InetSocketAddress base) {
		release(Transport.UDP, base);
	}

	@Override
	public void release(Transport transport, InetSocketAddress base) {
		this.engine.remove(nameOf(transport, base));
	}

}
