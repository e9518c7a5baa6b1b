package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Picks the best of several protocol probes that run at the same time. Candidates come in order of
 * preference. The best one that answered wins as soon as every better one has failed; when a lesser one
 * answers while a better one is still silent, the better one gets a short grace (twice the lesser one's time,
 * 10 to 50 ms): one daemon usually serves every protocol of a router, so a better answer that comes at all
 * comes about as fast. Losers are closed. Runs on the loop thread.
 */
final class ProbeRace {

	private static final System.Logger logger = System.getLogger(ProbeRace.class.getName());

	private static final long MIN_GRACE_NANOS = Duration.ofMillis(10).toNanos();

	private static final long MAX_GRACE_NANOS = Duration.ofMillis(50).toNanos();

	private final NatEventLoop loop;

	private final List<CompletableFuture<PortMapper>> candidates;

	private final CompletableFuture<PortMapper> winner = new CompletableFuture<>();

	private final long startedNanos = System.nanoTime();

	private final Consumer<Set<NatProtocol>> answeredSink;

	private final Set<NatProtocol> answered = EnumSet.noneOf(NatProtocol.class);

	private boolean graceStarted;

	/**
	 * A race.
	 * @param loop the loop
	 * @param candidates probes, best first
	 * @param answeredSink told every protocol that answered, each time another one does
	 */
	ProbeRace(NatEventLoop loop, List<CompletableFuture<PortMapper>> candidates, Consumer<Set<NatProtocol>> answeredSink) {
		this.loop = loop;
		this.candidates = candidates;
		this.answeredSink = answeredSink;
	}

	CompletableFuture<PortMapper> winner() {
		for (CompletableFuture<PortMapper> candidate : this.candidates) {
			candidate.whenComplete((mapper, failure) -> {
				if (mapper != null) {
					this.answered.add(mapper.protocol());
					this.answeredSink.accept(Set.copyOf(this.answered));
					if (this.winner.isDone() && this.winner.getNow(null) != mapper) {
						mapper.close(); // answered after the race was decided
					}
				}
				evaluate(false);
			});
		}
		return this.winner;
	}

	private void evaluate(boolean graceOver) {
		if (this.winner.isDone()) {
			return;
		}
		boolean betterPending = false;
		for (CompletableFuture<PortMapper> candidate : this.candidates) {
			if (!candidate.isDone()) {
				betterPending = true;
				continue;
			}
			PortMapper mapper = succeeded(candidate);
			if (mapper == null) {
				continue;
			}
			if (!betterPending || graceOver) {
				choose(mapper);
			}
			else if (!this.graceStarted) {
				this.graceStarted = true;
				long elapsed = System.nanoTime() - this.startedNanos;
				this.loop.scheduleNanos(() -> evaluate(true),
						Math.min(MAX_GRACE_NANOS, Math.max(MIN_GRACE_NANOS, 2 * elapsed)));
			}
			return;
		}
		if (!betterPending) {
			failAll();
		}
	}

	private void choose(PortMapper mapper) {
		this.winner.complete(mapper);
		// Probes still under way finish (they are harmless and bounded), so that every protocol the router
		// speaks is known; each loser is closed when it completes.
		for (CompletableFuture<PortMapper> candidate : this.candidates) {
			PortMapper other = succeeded(candidate);
			if (other != null && other != mapper) {
				other.close();
			}
		}
		logger.log(Level.DEBUG, () -> "Gateway " + mapper.gateway() + " speaks " + mapper.protocol().displayName()
				+ " (probe took " + Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis() + " ms)");
	}

	private void failAll() {
		StringBuilder reasons = new StringBuilder();
		NatErrorKind kind = NatErrorKind.NO_RESPONSE;
		for (CompletableFuture<PortMapper> candidate : this.candidates) {
			NatException failure = candidate.handle((mapper, cause) -> (cause != null) ? NatException.of(cause, null) : null)
				.getNow(null);
			if (failure != null) {
				reasons.append((reasons.length() > 0) ? "; " : "")
					.append((failure.protocol() != null) ? failure.protocol().displayName() : "?")
					.append(": ")
					.append(failure.getMessage());
				if (failure.kind() != NatErrorKind.NO_RESPONSE && failure.kind() != NatErrorKind.UNSUPPORTED_VERSION) {
					kind = failure.kind();
				}
			}
		}
		this.winner.completeExceptionally(new NatException(kind, null, "No port mapping protocol answered (" + reasons + ")"));
	}

	private static @Nullable PortMapper succeeded(CompletableFuture<PortMapper> candidate) {
		return (candidate.isDone() && !candidate.isCompletedExceptionally()) ? candidate.getNow(null) : null;
	}

}
