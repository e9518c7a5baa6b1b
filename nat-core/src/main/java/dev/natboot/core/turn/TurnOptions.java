package dev.natboot.core.turn;

import java.time.Duration;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link TurnAllocation} behaves.
 *
 * @param timeout how long one request may wait for its answer, retransmissions over UDP included
 * @param lifetime the lifetime to ask for, {@code null} for the server's default (600 s for most)
 * @param refreshAutomatically whether a daemon thread refreshes the allocation before its lifetime ends, and
 * its permissions and channel bindings before theirs (300 s and 600 s)
 * @param tls the sockets for {@code turns:} servers, {@code null} for the JDK's default trust store
 */
public record TurnOptions(Duration timeout, @Nullable Duration lifetime, boolean refreshAutomatically,
		@Nullable SSLSocketFactory tls) {

	public TurnOptions {
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException("A TURN request timeout is between 1 ms and 1 minute: " + timeout);
		}
		if (lifetime != null && (lifetime.getSeconds() < 1 || lifetime.getSeconds() > 0xffffffffL)) {
			throw new IllegalArgumentException("A TURN lifetime is 1 s to 2^32-1 s: " + lifetime);
		}
	}

	/**
	 * Defaults: a 5 s timeout, the server's lifetime, refreshed automatically, the JDK's trust store.
	 * @return the defaults
	 */
	public static TurnOptions defaults() {
		return new TurnOptions(Duration.ofSeconds(5), null, true, null);
	}

	public TurnOptions withTimeout(Duration timeout) {
		return new TurnOptions(timeout, this.lifetime, this.refreshAutomatically, this.tls);
	}

	public TurnOptions withLifetime(@Nullable Duration lifetime) {
		return new TurnOptions(this.timeout, lifetime, this.refreshAutomatically, this.tls);
	}

	public TurnOptions withRefreshAutomatically(boolean refreshAutomatically) {
		return new TurnOptions(this.timeout, this.lifetime, refreshAutomatically, this.tls);
	}

	public TurnOptions withTls(@Nullable SSLSocketFactory tls) {
		return new TurnOptions(this.timeout, this.lifetime, this.refreshAutomatically, tls);
	}

}
