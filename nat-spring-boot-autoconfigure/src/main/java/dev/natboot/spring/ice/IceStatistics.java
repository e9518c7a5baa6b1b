package dev.natboot.spring.ice;

import java.time.Instant;

import dev.natboot.core.ice.IceSelectedPair;
import org.jspecify.annotations.Nullable;

/**
 * What the agents of {@link IceAgents} came to so far, for the {@code nat} endpoint.
 * @param open agents created and not closed
 * @param connected connections made
 * @param failed agents that failed (timeout, consent lost, no candidates)
 * @param lastPair the pair the last connection selected
 * @param lastConnectedAt when it connected
 * @param lastConnectMillis how long its checks took
 * @param lastFailure the last failure, as its reason and message
 */
public record IceStatistics(int open, long connected, long failed, @Nullable IceSelectedPair lastPair,
		@Nullable Instant lastConnectedAt, long lastConnectMillis, @Nullable String lastFailure) {
}
