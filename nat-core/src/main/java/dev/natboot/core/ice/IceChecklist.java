package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The one checklist of a single data stream with one component (RFC 8445 section 6.1.2): its pairs ordered by
 * priority, their states, and the triggered-check queue, with the rules for which check goes next. Confined to
 * the agent's loop thread.
 */
final class IceChecklist {

	/** RFC 8445 section 6.1.2.5 suggests 100: more pairs only delay the checks that matter. */
	static final int MAX_PAIRS = 100;

	private final List<CandidatePair> pairs = new ArrayList<>();

	private final ArrayDeque<CandidatePair> triggered = new ArrayDeque<>();

	private IceRole role;

	IceChecklist(IceRole role) {
		this.role = role;
	}

	List<CandidatePair> pairs() {
		return Collections.unmodifiableList(this.pairs);
	}

	/** Orders the pairs again once the role, which weighs in their priorities, changed. */
	void roleChanged(IceRole role) {
		this.role = role;
		sort();
	}

	@Nullable CandidatePair find(IceSocket socket, InetSocketAddress remote) {
		for (CandidatePair pair : this.pairs) {
			if (pair.is(socket, remote)) {
				return pair;
			}
		}
		return null;
	}

	/**
	 * Adds a pair unless one with its 5-tuple exists (the redundant one is pruned, RFC 8445 section 6.1.2.4) or
	 * the list is full; a full list gives way only to a pair of higher priority than its lowest one.
	 * @return the pair of that 5-tuple in the list, or {@code null} if it found no room
	 */
	@Nullable CandidatePair add(CandidatePair pair) {
		CandidatePair existing = find(pair.socket, pair.remoteAddress);
		if (existing != null) {
			return existing;
		}
		if (this.pairs.size() >= MAX_PAIRS) {
			CandidatePair lowest = this.pairs.get(this.pairs.size() - 1);
			if (Long.compareUnsigned(lowest.priority(this.role), pair.priority(this.role)) >= 0 || !lowest.pending()) {
				return null;
			}
			lowest.cancelCheck();
			this.pairs.remove(lowest);
			this.triggered.remove(lowest);
		}
		this.pairs.add(pair);
		sort();
		return pair;
	}

	/**
	 * The initial states (RFC 8445 section 6.1.2.6): per foundation, its pair of highest priority waits, the
	 * others stay frozen until a pair of their foundation succeeds.
	 */
	void unfreezeInitial() {
		Set<String> seen = new HashSet<>();
		for (CandidatePair pair : this.pairs) {
			if (pair.state == CandidatePair.State.FROZEN && seen.add(pair.foundation) && !activeFoundation(pair.foundation)) {
				pair.state = CandidatePair.State.WAITING;
			}
		}
	}

	/** A pair succeeded: the frozen pairs of its foundation may go (RFC 8445 section 7.2.5.3.3). */
	void unfreeze(String foundation) {
		for (CandidatePair pair : this.pairs) {
			if (pair.state == CandidatePair.State.FROZEN && pair.foundation.equals(foundation)) {
				pair.state = CandidatePair.State.WAITING;
			}
		}
	}

	void trigger(CandidatePair pair) {
		if (!pair.triggered) {
			pair.triggered = true;
			this.triggered.add(pair);
		}
	}

	/**
	 * The pair to check at the next tick of Ta (RFC 8445 section 6.1.4.2): a triggered one first, then the
	 * waiting pair of highest priority, else the frozen pair of highest priority whose foundation has nothing
	 * waiting or under way.
	 */
	@Nullable CandidatePair next() {
		CandidatePair pair;
		while ((pair = this.triggered.poll()) != null) {
			pair.triggered = false;
			if (this.pairs.contains(pair)) {
				return pair;
			}
		}
		for (CandidatePair waiting : this.pairs) {
			if (waiting.state == CandidatePair.State.WAITING) {
				return waiting;
			}
		}
		for (CandidatePair frozen : this.pairs) {
			if (frozen.state == CandidatePair.State.FROZEN && !activeFoundation(frozen.foundation)) {
				return frozen;
			}
		}
		return null;
	}

	/** How many pairs are waiting or under way: what the RTO of checks scales with (RFC 8445 section 14.3). */
	int active() {
		int count = 0;
		for (CandidatePair pair : this.pairs) {
			if (pair.state == CandidatePair.State.WAITING || pair.state == CandidatePair.State.IN_PROGRESS) {
				count++;
			}
		}
		return count;
	}

	/** The valid pair of highest priority. */
	@Nullable CandidatePair bestValid() {
		for (CandidatePair pair : this.pairs) {
			if (pair.state == CandidatePair.State.SUCCEEDED) {
				return pair;
			}
		}
		return null;
	}

	/**
	 * Until when a pair of higher priority than this one may still succeed: a pair not checked yet may succeed
	 * at any time ({@link Long#MAX_VALUE}); one under way until its first check has had the grace to be answered.
	 * A pair to a server-reflexive candidate (the peer behind a NAT) needs the peer's own check to open that NAT,
	 * so it may succeed at any time while the peer has checked nothing yet, and otherwise until the later of its
	 * first check and the peer's first has had the reflexive grace. (A peer-reflexive candidate came from the
	 * peer's own check, so its NAT is open already.)
	 * @param peerCheckingSinceNanos when the peer's first valid check arrived, 0 before
	 * @return a {@link System#nanoTime()} value, or {@link Long#MIN_VALUE} when no such pair is left
	 */
	long higherPendingUntil(CandidatePair than, long graceNanos, long reflexiveGraceNanos,
			long peerCheckingSinceNanos) {
		long priority = than.priority(this.role);
		long until = Long.MIN_VALUE;
		for (CandidatePair pair : this.pairs) {
			if (!pair.pending() || Long.compareUnsigned(pair.priority(this.role), priority) <= 0) {
				continue;
			}
			if (pair.state != CandidatePair.State.IN_PROGRESS || pair.firstCheckNanos == 0) {
				return Long.MAX_VALUE;
			}
			long pairUntil = pair.firstCheckNanos + graceNanos;
			IceCandidateType remote = pair.remote.type();
			if (remote == IceCandidateType.SERVER_REFLEXIVE) {
				if (peerCheckingSinceNanos == 0) {
					return Long.MAX_VALUE;
				}
				long from = (peerCheckingSinceNanos - pair.firstCheckNanos > 0) ? peerCheckingSinceNanos
						: pair.firstCheckNanos;
				pairUntil = from + reflexiveGraceNanos;
			}
			if (until == Long.MIN_VALUE || pairUntil - until > 0) {
				until = pairUntil;
			}
		}
		return until;
	}

	void cancelAll() {
		this.pairs.forEach(CandidatePair::cancelCheck);
		this.triggered.clear();
	}

	private boolean activeFoundation(String foundation) {
		for (CandidatePair pair : this.pairs) {
			if (pair.foundation.equals(foundation)
					&& (pair.state == CandidatePair.State.WAITING || pair.state == CandidatePair.State.IN_PROGRESS)) {
				return true;
			}
		}
		return false;
	}

	private void sort() {
		Comparator<CandidatePair> byPriority = (a, b) -> Long.compareUnsigned(b.priority(this.role), a.priority(this.role));
		this.pairs.sort(byPriority);
	}

}
