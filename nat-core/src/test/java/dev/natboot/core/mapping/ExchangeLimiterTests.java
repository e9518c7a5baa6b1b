package dev.natboot.core.mapping;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At most a few exchanges with the router at once; the others wait in line, each mapping once, and start as
 * places free up.
 */
class ExchangeLimiterTests {

	private final ExchangeLimiter limiter = new ExchangeLimiter(3);

	private final List<String> started = new ArrayList<>();

	private final List<CompletableFuture<Void>> running = new ArrayList<>();

	@Test
	void startsAtMostTheLimitAndTheRestAsPlacesFreeUp() {
		for (int i = 0; i < 5; i++) {
			ManagedMapping mapping = mapping("m" + i);
			this.limiter.submit(mapping, () -> start(mapping.spec.name()));
		}
		assertThat(this.started).containsExactly("m0", "m1", "m2");
		assertThat(this.limiter.waiting()).isEqualTo(2);
		this.running.get(1).complete(null);
		assertThat(this.started).containsExactly("m0", "m1", "m2", "m3");
		this.running.get(0).completeExceptionally(new IllegalStateException("no answer"));
		assertThat(this.started).containsExactly("m0", "m1", "m2", "m3", "m4");
		assertThat(this.limiter.waiting()).isZero();
	}

	@Test
	void aMappingWaitsOnceWithItsLatestExchange() {
		for (int i = 0; i < 3; i++) {
			ManagedMapping mapping = mapping("busy" + i);
			this.limiter.submit(mapping, () -> start(mapping.spec.name()));
		}
		ManagedMapping waiting = mapping("w");
		this.limiter.submit(waiting, () -> start("verify"));
		this.limiter.submit(waiting, () -> start("renew"));
		assertThat(this.limiter.waiting()).isOne();
		this.running.get(0).complete(null);
		assertThat(this.started).endsWith("renew").doesNotContain("verify");
	}

	@Test
	void anExchangeThatStartsNothingFreesItsPlaceAtOnce() {
		for (int i = 0; i < 10; i++) {
			this.limiter.submit(mapping("n" + i), () -> null);
		}
		ManagedMapping last = mapping("last");
		this.limiter.submit(last, () -> start("last"));
		assertThat(this.started).containsExactly("last");
	}

	private CompletableFuture<?> start(String name) {
		this.started.add(name);
		CompletableFuture<Void> future = new CompletableFuture<>();
		this.running.add(future);
		return future;
	}

	private static ManagedMapping mapping(String name) {
		return new ManagedMapping(new MappingSpec(name, Transport.UDP, 20000, 0, Duration.ofMinutes(1), name), 1,
				Instant.now(), MappingState.PENDING);
	}

}
