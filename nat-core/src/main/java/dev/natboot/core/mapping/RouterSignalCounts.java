package dev.natboot.core.mapping;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often the router's unsolicited signals were heard from its own address, and what came of each: a check
 * or remap, or nothing because one had just been made. Thread-safe counters, read by the metrics.
 */
public final class RouterSignalCounts {

	private final Map<Signal, Map<Outcome, LongAdder>> counts = new EnumMap<>(Signal.class);

	RouterSignalCounts() {
		for (Signal signal : Signal.values()) {
			Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
			for (Outcome outcome : Outcome.values()) {
				outcomes.put(outcome, new LongAdder());
			}
			this.counts.put(signal, outcomes);
		}
	}

	void count(Signal signal, Outcome outcome) {
		this.counts.get(signal).get(outcome).increment();
	}

	/**
	 * How many signals of a kind had an outcome so far.
	 * @param signal the kind of signal
	 * @param outcome what came of it
	 * @return the count
	 */
	public long countOf(Signal signal, Outcome outcome) {
		return this.counts.get(signal).get(outcome).sum();
	}

	/** A kind of signal. A bounded set: safe as a metric tag. */
	public enum Signal {

		/** A PCP ANNOUNCE or NAT-PMP external address announcement to 224.0.0.1:5350. */
		ANNOUNCEMENT,

		/** An SSDP {@code ssdp:alive} naming the router's IGD. */
		SSDP_ALIVE,

		/** An SSDP {@code ssdp:byebye} naming the router's IGD. */
		SSDP_BYEBYE;

		public String tagValue() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/** What came of a signal. */
	public enum Outcome {

		/** It led to a check with the router's own answer, or to a remap. */
		ACTED,

		/** It said nothing new (the router's periodic announcement). */
		NOTHING_NEW,

		/** One had just been acted on: at most one check per router per window. */
		SUPPRESSED;

		public String tagValue() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

}
