package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natboot.core.NatProtocol;
import org.jspecify.annotations.Nullable;

/**
 * Keeps mappings without a lease from outliving the application. A UPnP router that takes only permanent
 * leases keeps such a mapping after a crash; the journal remembers it, and before the first mapping of the
 * next start, each one the router still holds for this host, port and description is deleted. Runs on the
 * engine's loop thread only.
 */
final class PermanentLeases {

	private static final System.Logger logger = System.getLogger(PermanentLeases.class.getName());

	private final @Nullable MappingJournal journal;

	private boolean cleaned;

	PermanentLeases(@Nullable MappingJournal journal) {
		this.journal = journal;
	}

	/**
	 * Deletes what earlier runs left on this router, once, before anything is mapped with it.
	 * @param mapper the mapper about to be used
	 * @return the mapper, once the leftovers are deleted or the router did not say
	 */
	CompletableFuture<PortMapper> cleanUpBefore(PortMapper mapper) {
		MappingJournal current = this.journal;
		InetSocketAddress gateway = mapper.gateway();
		if (this.cleaned || current == null || !(mapper instanceof UpnpPortMapper upnp) || gateway == null) {
			return CompletableFuture.completedFuture(mapper);
		}
		this.cleaned = true;
		List<MappingJournal.Entry> leftovers = current.entries()
			.stream()
			.filter((entry) -> entry.gateway().equals(gateway.getAddress()))
			.toList();
		if (leftovers.isEmpty()) {
			return CompletableFuture.completedFuture(mapper);
		}
		AtomicInteger settled = new AtomicInteger();
		CompletableFuture<?>[] removals = leftovers.stream()
			.map((entry) -> upnp.removeLeftover(entry).handle((done, failure) -> {
				if (failure == null && Boolean.TRUE.equals(done)) {
					current.forget(entry);
					settled.incrementAndGet();
				}
				return null;
			}))
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(removals).handle((ignored, failure) -> {
			logger.log(Level.INFO, () -> "Deleted " + settled.get() + " of " + leftovers.size() + " permanent mappings "
					+ "an earlier run left on " + gateway.getAddress().getHostAddress() + " (recorded in "
					+ current.file() + ")");
			return mapper;
		});
	}

	void granted(ManagedMapping mapping, PortGrant grant) {
		MappingJournal.Entry entry = entry(mapping, grant);
		if (entry != null && grant.lifetime() == null && this.journal != null) {
			this.journal.record(entry);
		}
	}

	void released(ManagedMapping mapping, @Nullable PortGrant grant) {
		MappingJournal.Entry entry = (grant != null) ? entry(mapping, grant) : null;
		if (entry != null && this.journal != null) {
			this.journal.forget(entry);
		}
	}

	private static MappingJournal.@Nullable Entry entry(ManagedMapping mapping, PortGrant grant) {
		InetSocketAddress gateway = grant.gateway();
		if (grant.protocol() != NatProtocol.UPNP || gateway == null) {
			return null;
		}
		InetAddress address = gateway.getAddress();
		return new MappingJournal.Entry(address, mapping.spec.transport(), grant.externalPort(),
				mapping.spec.internalPort(), mapping.spec.description());
	}

}
