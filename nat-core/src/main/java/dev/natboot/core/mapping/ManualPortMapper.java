package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * No router: the user forwarded the port by hand and declared the external address ({@code extip:ADDRESS}).
 * The external port is the one asked for; nothing expires and nothing is sent anywhere.
 */
public final class ManualPortMapper implements PortMapper {

	private final InetAddress externalAddress;

	public ManualPortMapper(InetAddress externalAddress) {
		this.externalAddress = externalAddress;
	}

	@Override
	public NatProtocol protocol() {
		return NatProtocol.MANUAL;
	}

	@Override
	public @Nullable InetSocketAddress gateway() {
		return null;
	}

	@Override
	public CompletableFuture<PortGrant> map(MappingRequest request) {
		return CompletableFuture.completedFuture(new PortGrant(NatProtocol.MANUAL, null, this.externalAddress,
				request.suggestedExternalPort(), null));
	}

	@Override
	public CompletableFuture<Void> unmap(MappingRequest request) {
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public void close() {
	}

}
