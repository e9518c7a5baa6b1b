package dev.natboot.core.mapping;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * No router ({@code nat.mode=stun}): the user forwarded the port by hand, and the external address is the one a
 * STUN server sees. The external port is the one asked for; nothing expires and nothing is sent to a router. When
 * the STUN-observed address changes, the engine maps again and every mapping reports its new endpoint.
 */
final class StunPortMapper implements PortMapper {

	private final StunMonitor monitor;

	StunPortMapper(StunMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public NatProtocol protocol() {
		return NatProtocol.STUN;
	}

	@Override
	public @Nullable InetSocketAddress gateway() {
		return null;
	}

	@Override
	public CompletableFuture<PortGrant> map(MappingRequest request) {
		return this.monitor.observation().thenApply((observation) -> new PortGrant(NatProtocol.STUN, null,
				Objects.requireNonNull(observation.publicAddress()), request.suggestedExternalPort(), null));
	}

	@Override
	public CompletableFuture<Void> unmap(MappingRequest request) {
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public void close() {
	}

}
