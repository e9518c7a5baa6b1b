package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets for the checks that arrive, one per source and one for all: a peer checks a pair every Ta and
 * retransmits a few times, so a source sending far more is flooding, and its requests are dropped before any
 * HMAC is computed. The table of sources is bounded; the least recently seen goes first. Loop thread only.
 */
final class CheckRateLimiter {

	private static final int MAX_SOURCES = 256;

	private final double perSourceRate;

	private final double perSourceBurst;

	private final double totalRate;

	private final double totalBurst;

	private final Map<InetSocketAddress, Bucket> sources = new LinkedHashMap<>(16, 0.75f, true) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Bucket> eldest) {
			return size() > MAX_SOURCES;
		}

	};

	private final Bucket total;

	/**
	 * @param perSecond checks a second one source may send
	 * @param burst how many it may send at once
	 */
	CheckRateLimiter(int perSecond, int burst) {
		this.perSourceRate = perSecond / 1e9;
		this.perSourceBurst = burst;
		this.totalRate = 4 * this.perSourceRate;
		this.totalBurst = 4.0 * burst;
		this.total = new Bucket(this.totalBurst, System.nanoTime());
	}

	boolean allow(InetSocketAddress source, long nowNanos) {
		Bucket bucket = this.sources.computeIfAbsent(source, (key) -> new Bucket(this.perSourceBurst, nowNanos));
		if (!bucket.take(nowNanos, this.perSourceRate, this.perSourceBurst)) {
			return false;
		}
		return this.total.take(nowNanos, this.totalRate, this.totalBurst);
	}

	private static final class Bucket {

		private double tokens;

		private long updatedNanos;

		Bucket(double tokens, long nowNanos) {
			this.tokens = tokens;
			this.updatedNanos = nowNanos;
		}

		boolean take(long nowNanos, double ratePerNano, double burst) {
			this.tokens = Math.min(burst, this.tokens + Math.max(0, nowNanos - this.updatedNanos) * ratePerNano);
			this.updatedNanos = nowNanos;
			if (this.tokens < 1) {
				return false;
			}
			this.tokens--;
			return true;
		}

	}

}
