package dev.natboot.core.mapping;

import java.util.concurrent.CompletableFuture;

import dev.natboot.core.NatException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MapperSource} that probes once and keeps what it found: concurrent callers share one probe, a failed
 * one is tried again at the next call, and a mapper that stopped working is forgotten so that the next call
 * probes again. Runs on the engine's loop thread; {@link #selected()} may be read from any.
 */
abstract class MapperSelection implements MapperSource {

	private @Nullable CompletableFuture<PortMapper> selection;

	private volatile @Nullable PortMapper selected;

	@Override
	public final CompletableFuture<PortMapper> select() {
		CompletableFuture<PortMapper> current = this.selection;
		if (current != null && !current.isCompletedExceptionally()) {
			return current;
		}
		CompletableFuture<PortMapper> started;
		try {
			started = start();
		}
		catch (NatException ex) {
			started = CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<PortMapper> chosen = started.thenApply((mapper) -> {
			this.selected = mapper;
			chosen(mapper);
			return mapper;
		});
		this.selection = chosen;
		return chosen;
	}

	@Override
	public final @Nullable PortMapper selected() {
		return this.selected;
	}

	@Override
	public void close() {
		PortMapper current = this.selected;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * Probes.
	 * @return the mapper that answered
	 * @throws NatException if nothing can be probed
	 */
	abstract CompletableFuture<PortMapper> start() throws NatException;

	/**
	 * Told the mapper a probe chose, before any caller gets it.
	 * @param mapper the mapper
	 */
	void chosen(PortMapper mapper) {
	}

	/**
	 * Forgets a mapper, if it is the one in use, and closes it: the next {@link #select()} probes again.
	 * @param mapper the mapper that stopped working
	 */
	final void forget(PortMapper mapper) {
		if (this.selected == mapper) {
			reset();
		}
	}

	/** Forgets whatever was chosen or is being probed, and closes the mapper in use. */
	final void reset() {
		PortMapper current = this.selected;
		this.selected = null;
		this.selection = null;
		if (current != null) {
			current.close();
		}
	}

}
