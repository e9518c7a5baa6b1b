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
 * leases keeps such a mapping after a crash: the journal has it on disk before the router is asked, and before
 * the first mapping of a later start, what instances that are gone left is taken over and each entry the router
 * still holds for this host, port and description is deleted. Runs on the engine's loop thread only.
 */
final class PermanentLeases implements UpnpPortMapper.PermanentLeaseJournal, AutoCloseable {

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
		current.adoptLeftovers();
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
					+ "that an earlier run left on " + gateway.getAddress().getHostAddress() + " (journal in "
					+ current.directory() + ")");
			return mapper;
		});
	}

	@Override
	public void beforeAsking(MappingJournal.Entry entry) {
		if (this.journal != null) {
			this.journal.record(entry);
		}
	}

	@Override
	public void refused(MappingJournal.Entry entry) {
		if (this.journal != null) {
			this.journal.forget(entry);
		}
	}

	/** A grant without a lease: its entry, with the port the router chose, replaces the one written before asking. */
	void granted(ManagedMapping mapping, PortGrant grant) {
		MappingJournal current = this.journal;
		MappingJournal.Entry entry = entry(mapping, grant, grant.externalPort());
		if (current == null || entry == null) {
			return;
		}
		if (grant.lifetime() == null) {
			current.record(entry);
		}
		else {
			current.forget(entry); // renewed with a lease after all
		}
		MappingJournal.Entry unknownPort = entry(mapping, grant, 0);
		if (unknownPort != null) {
			current.forget(unknownPort);
		}
	}

	void released(ManagedMapping mapping, @Nullable PortGrant grant) {
		MappingJournal.Entry entry = (grant != null) ? entry(mapping, grant, grant.externalPort()) : null;
		if (entry != null && this.journal != null) {
			this.journal.forget(entry);
		}
	}

	@Override
	public void close() {
		if (this.journal != null) {
			this.journal.close();
		}
	}

	private static MappingJournal.@Nullable Entry entry(ManagedMapping mapping, PortGrant grant, int externalPort) {
		InetSocketAddress gateway = grant.gateway();
		InetAddress client = (grant.protocol() == NatProtocol.UPNP && mapping.grantedBy instanceof UpnpPortMapper upnp)
				? upnp.internalClient() : null;
		if (gateway == null || client == null) {
			return null;
		}
		return new MappingJournal.Entry(gateway.getAddress(), mapping.spec.transport(), externalPort, client,
				mapping.spec.internalPort(), mapping.spec.description());
	}

}
