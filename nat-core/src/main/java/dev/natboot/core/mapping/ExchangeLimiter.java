package dev.natboot.core.mapping;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Keeps at most a few exchanges with the router under way at once; the rest wait their turn, one per mapping.
 * A router adding a hundred forwarding rules at once answers the last ones only after the client gave up on
 * them (miniupnpd, seen in the soak test: each rule costs it more as its table grows), and retransmissions
 * only add to the heap; in turn, each exchange gets the router's full attention. Runs on the engine's loop
 * thread only.
 */
final class ExchangeLimiter {

	/**
	 * Exchanges under way at once. Routers answer one request at a time, so more only lengthen each round
	 * trip; two keep one request ready while the router works on the other.
	 */
	static final int MAX_CONCURRENT = 2;

	private final int max;

	private final ArrayDeque<ManagedMapping> waiting = new ArrayDeque<>();

	private int running;

	ExchangeLimiter(int max) {
		this.max = max;
	}

	/**
	 * Starts an exchange for a mapping now, or when a place is free. A mapping waits in line once: a later
	 * exchange replaces the one it was waiting with.
	 * @param mapping the mapping
	 * @param exchange starts the exchange and returns its completion, or {@code null} if it started none
	 */
	void submit(ManagedMapping mapping, Supplier<@Nullable CompletableFuture<?>> exchange) {
		if (this.running < this.max && this.waiting.isEmpty()) {
			start(exchange);
			return;
		}
		mapping.waitingExchange = exchange;
		if (!this.waiting.contains(mapping)) {
			this.waiting.add(mapping);
		}
	}

	int waiting() {
		return this.waiting.size();
	}

	private void start(Supplier<@Nullable CompletableFuture<?>> exchange) {
		this.running++;
		CompletableFuture<?> done = null;
		try {
			done = exchange.get();
		}
		finally {
			if (done == null) {
				finished();
			}
			else {
				done.whenComplete((ignored, failure) -> finished());
			}
		}
	}

	private void finished() {
		this.running--;
		while (this.running < this.max && !this.waiting.isEmpty()) {
			ManagedMapping next = this.waiting.poll();
			Supplier<@Nullable CompletableFuture<?>> exchange = next.waitingExchange;
			next.waitingExchange = null;
			if (exchange != null) {
				start(exchange);
			}
		}
	}

}
