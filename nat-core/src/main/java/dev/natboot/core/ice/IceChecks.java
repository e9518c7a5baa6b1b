package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;
import org.jspecify.annotations.Nullable;

/**
 * The connectivity checks of one agent (RFC 8445 sections 6.1.4, 7 and 8): the paced ordinary checks and the
 * triggered ones, the answers to the peer's checks, role conflicts, peer-reflexive candidates and regular
 * nomination, until a pair is selected. Loop thread only. One class, longer than most here, because these are
 * one state machine: a peer's check changes the role, the checklist and the nomination that this agent's own
 * checks read; the messages are {@link IceCheckMessages}'s, the peer's candidates {@link RemoteCandidates}'.
 */
final class IceChecks {

	/** The least time a better pair's check is given to be answered before a valid pair is nominated. */
	private static final long MIN_ANSWER_GRACE_NANOS = 15_000_000;

	/** Checks that arrive before the peer's description is known, remembered to be paired once it is. */
	private static final int MAX_EARLY_CHECKS = 16;

	/** What the checks report to the agent. */
	interface Events {

		void checkSucceeded(IceSelectedPair pair);

		void roleChanged(IceRole role);

		void selected(CandidatePair pair, IceSelectedPair selected);

	}

	private final NatEventLoop loop;

	private final IceSettings settings;

	private final IceCredentials local;

	private final IceGathering gathering;

	private final Events events;

	private final long tieBreaker;

	private final CheckRateLimiter limiter;

	private final IceCounters.Mutable counters;

	private IceRole role;

	private final IceChecklist checklist;

	private @Nullable IceDescription remote;

	private @Nullable StunCredentials outgoing;

	private final RemoteCandidates remoteCandidates = new RemoteCandidates();

	private final List<EarlyCheck> earlyChecks = new ArrayList<>();

	private @Nullable CandidatePair selected;

	private long firstValidNanos;

	/** When the peer's first valid check arrived, 0 before: until then its NAT may not have opened to ours. */
	private long peerCheckingSinceNanos;

	private long lastCheckNanos;

	private NatEventLoop.@Nullable Timer tick;

	private long tickAtNanos;

	private NatEventLoop.@Nullable Timer nominationTimer;

	private boolean stopped;

	IceChecks(NatEventLoop loop, IceSettings settings, IceCredentials local, IceRole role, long tieBreaker,
			IceGathering gathering, IceCounters.Mutable counters, Events events) {
		this.loop = loop;
		this.settings = settings;
		this.local = local;
		this.role = role;
		this.tieBreaker = tieBreaker;
		this.gathering = gathering;
		this.counters = counters;
		this.events = events;
		this.checklist = new IceChecklist(role);
		this.limiter = new CheckRateLimiter(settings.checksPerSecond(), Math.max(10, settings.checksPerSecond() / 2));
	}

	/** See {@link IceCheckMessages#warmUp}. */
	void warmUp() {
		IceCheckMessages.warmUp(this.local, this.tieBreaker);
	}

	/** Pairs the local candidates with the peer's and starts checking. */
	void start(IceDescription remote) {
		this.remote = remote;
		this.outgoing = this.local.toPeer(remote.credentials());
		this.remoteCandidates.addAll(remote);
		List<IceCandidate> candidates = this.remoteCandidates.all();
		for (IceSocket socket : this.gathering.sockets()) {
			pair(socket, candidates);
		}
		this.checklist.unfreezeInitial();
		List<EarlyCheck> early = List.copyOf(this.earlyChecks);
		this.earlyChecks.clear();
		early.forEach((check) -> checked(check.socket, check.source, check.priority, check.useCandidate));
		scheduleTick(System.nanoTime());
	}

	/**
	 * A candidate of the peer's that came after its description (trickle ICE, RFC 8838): paired and checked as
	 * those of the description were.
	 */
	void addRemote(IceCandidate candidate) {
		if (this.stopped || this.selected != null || this.remote == null || !this.remoteCandidates.add(candidate)) {
			return;
		}
		for (IceSocket socket : this.gathering.sockets()) {
			pair(socket, List.of(candidate));
		}
		this.checklist.unfreezeInitial();
		scheduleTick(this.lastCheckNanos + this.settings.pacing().toNanos());
	}

	/** A socket that opened after checking started (a relay that answered late): its pairs join the checklist. */
	void socketAdded(IceSocket socket) {
		if (this.stopped || this.selected != null || this.remote == null) {
			return;
		}
		pair(socket, this.remoteCandidates.all());
		this.checklist.unfreezeInitial();
		scheduleTick(this.lastCheckNanos + this.settings.pacing().toNanos());
	}

	private void pair(IceSocket socket, List<IceCandidate> candidates) {
		if (socket.relayed()) {
			// A passive TCP relay pairs with nothing of its own: it lets in every address of the peer's, of either
			// transport, since its connections come from its NAT's public address, which any of them may name.
			boolean passive = socket.tcpType() == IceTcpType.PASSIVE;
			socket.expect(candidates.stream()
				.filter((candidate) -> RemoteCandidates.pairable(socket, candidate) || (passive
						&& candidate.socketAddress().map((address) -> address.getAddress().getClass())
							.orElse(null) == socket.base().getAddress().getClass()))
				.map((candidate) -> candidate.socketAddress().orElseThrow().getAddress())
				.toList());
		}
		for (IceCandidate candidate : candidates) {
			InetSocketAddress target = candidate.socketAddress().orElseThrow();
			if (RemoteCandidates.pairable(socket, candidate)) {
				this.checklist.add(new CandidatePair(socket, this.gathering.host(socket), candidate, target));
			}
		}
	}

	void stop() {
		this.stopped = true;
		cancelTimers();
		this.checklist.cancelAll();
	}

	List<CandidatePair> pairs() {
		return this.checklist.pairs();
	}

	// --- the peer's checks (RFC 8445 section 7.3)

	void request(IceSocket socket, StunMessage request, byte[] octets, InetSocketAddress source) {
		if (request.method() != StunMethod.BINDING) {
			return;
		}
		if (!this.limiter.allow(source, System.nanoTime())) {
			this.counters.checksDropped++;
			return;
		}
		String username = request.attribute(StunAttribute.Username.class).map(StunAttribute.Username::name).orElse("");
		IceDescription known = this.remote;
		boolean rightUser = (known != null) ? username.equals(this.local.ufrag() + ":" + known.credentials().ufrag())
				: username.startsWith(this.local.ufrag() + ":");
		StunAttribute.Priority priority = request.attribute(StunAttribute.Priority.class).orElse(null);
		if (!rightUser || priority == null || priority.priority() < 1 || priority.priority() > IceCandidate.MAX_PRIORITY) {
			this.counters.checksRejected++;
			return;
		}
		StunCredentials incoming = StunCredentials.shortTerm(username, this.local.pwd());
		if (StunCodec.checkIntegrity(octets, incoming) != StunCodec.IntegrityCheck.VALID) {
			this.counters.checksRejected++;
			return;
		}
		this.counters.checksReceived++;
		if (this.peerCheckingSinceNanos == 0) {
			this.peerCheckingSinceNanos = Math.max(1, System.nanoTime());
		}
		if (conflicts(request)) {
			socket.send(IceCheckMessages.answer(request, source, incoming, true), source);
			return;
		}
		socket.send(IceCheckMessages.answer(request, source, incoming, false), source);
		boolean useCandidate = request.attribute(StunAttribute.UseCandidate.class).isPresent();
		if (known == null) {
			if (this.earlyChecks.size() < MAX_EARLY_CHECKS) {
				this.earlyChecks.add(new EarlyCheck(socket, source, priority.priority(), useCandidate));
			}
			return;
		}
		checked(socket, source, priority.priority(), useCandidate);
	}

	/**
	 * Settles a role conflict (RFC 8445 section 7.3.1.1): the larger tie-breaker controls.
	 * @return whether the peer must change its role, which a 487 answer tells it
	 */
	private boolean conflicts(StunMessage request) {
		StunAttribute.IceControlling controlling = request.attribute(StunAttribute.IceControlling.class).orElse(null);
		StunAttribute.IceControlled controlled = request.attribute(StunAttribute.IceControlled.class).orElse(null);
		if (this.role == IceRole.CONTROLLING && controlling != null) {
			if (Long.compareUnsigned(this.tieBreaker, controlling.tieBreaker()) >= 0) {
				return true;
			}
			changeRole(IceRole.CONTROLLED);
		}
		else if (this.role == IceRole.CONTROLLED && controlled != null) {
			if (Long.compareUnsigned(this.tieBreaker, controlled.tieBreaker()) < 0) {
				return true;
			}
			changeRole(IceRole.CONTROLLING);
		}
		return false;
	}

	/** A valid check from the peer arrived: the triggered check (RFC 8445 section 7.3.1.4). */
	private void checked(IceSocket socket, InetSocketAddress source, long priority, boolean useCandidate) {
		if (this.stopped) {
			return;
		}
		CandidatePair pair = this.checklist.find(socket, source);
		if (pair == null) {
			if (this.selected != null) {
				return; // a pair is selected: new paths are of no use until a restart
			}
			IceCandidate remoteCandidate = this.remoteCandidates.at(socket, source, priority);
			if (remoteCandidate == null) {
				return;
			}
			pair = this.checklist.add(new CandidatePair(socket, this.gathering.host(socket), remoteCandidate, source));
			if (pair == null) {
				return;
			}
		}
		if (useCandidate && this.role == IceRole.CONTROLLED) {
			pair.nominatedByPeer = true;
			if (pair.state == CandidatePair.State.SUCCEEDED) {
				select(pair);
				return;
			}
		}
		if (this.selected != null) {
			return;
		}
		if (pair.state != CandidatePair.State.SUCCEEDED) {
			// In progress too: its last try may have met a NAT the peer had not opened yet, and the peer's check
			// says it is open now, so the check goes again without waiting for its retransmission (section 7.3.1.4).
			if (pair.state == CandidatePair.State.IN_PROGRESS && !pair.nominating) {
				pair.cancelCheck();
			}
			else if (pair.state == CandidatePair.State.IN_PROGRESS) {
				return;
			}
			pair.state = CandidatePair.State.WAITING;
			this.checklist.trigger(pair);
			scheduleTick(this.lastCheckNanos + this.settings.pacing().toNanos());
		}
	}

	// --- this agent's checks (RFC 8445 sections 6.1.4.2 and 7.2)

	private void scheduleTick(long atNanos) {
		if (this.stopped || this.selected != null) {
			return;
		}
		NatEventLoop.Timer current = this.tick;
		if (current != null && this.tickAtNanos - atNanos <= 0) {
			return;
		}
		if (current != null) {
			current.cancel();
		}
		this.tickAtNanos = atNanos;
		this.tick = this.loop.scheduleNanos(this::tick, Math.max(0, atNanos - System.nanoTime()));
	}

	private void tick() {
		this.tick = null;
		if (this.stopped || this.selected != null) {
			return;
		}
		CandidatePair pair = this.checklist.next();
		if (pair == null) {
			return; // nothing to check until the peer's checks trigger one
		}
		send(pair, false);
		scheduleTick(this.lastCheckNanos + this.settings.pacing().toNanos());
	}

	private void send(CandidatePair pair, boolean useCandidate) {
		StunCredentials credentials = this.outgoing;
		if (credentials == null) {
			return;
		}
		pair.cancelCheck();
		long priority = IceCheckMessages.peerReflexivePriority(pair.local);
		IceRole sentAs = this.role;
		StunMessage request = IceCheckMessages.check(credentials, priority, sentAs, this.tieBreaker, useCandidate);
		long rto = Math.max(this.settings.checkTimeout().toNanos(),
				this.settings.pacing().toNanos() * Math.max(1, this.checklist.active()));
		// Over TCP a check is sent once (RFC 6544 section 7.1), given time for a SYN to be sent again
		Retransmission schedule = (pair.socket.transport() == Transport.TCP)
				? new Retransmission(Duration.ofNanos(8 * rto), Duration.ofNanos(8 * rto), 1)
				: new Retransmission(Duration.ofNanos(rto), Duration.ofNanos(Math.max(rto, 4 * rto)),
						this.settings.checkAttempts());
		pair.state = CandidatePair.State.IN_PROGRESS;
		pair.nominating = useCandidate;
		this.lastCheckNanos = System.nanoTime();
		if (pair.firstCheckNanos == 0) {
			pair.firstCheckNanos = this.lastCheckNanos;
		}
		this.counters.checksSent++;
		IceSocket.Transaction[] started = new IceSocket.Transaction[1];
		started[0] = pair.socket.start(request, StunCodec.encode(request, credentials), pair.remoteAddress, schedule,
				new IceSocket.Outcome() {

					@Override
					public void answered(StunMessage response, byte[] octets, InetSocketAddress source,
							long roundTripNanos) {
						if (pair.check == started[0]) {
							pair.check = null;
							checkAnswered(pair, sentAs, priority, response, octets, roundTripNanos);
						}
					}

					@Override
					public void timedOut() {
						if (pair.check == started[0]) {
							pair.check = null;
							failed(pair);
						}
					}

				});
		pair.check = started[0];
		if (started[0] == null) {
			failed(pair);
		}
	}

	/**
	 * Sends one consent check on the selected pair (RFC 7675 section 5.1): an ICE check without USE-CANDIDATE,
	 * sent once; the next one goes at the next interval whether or not this one was answered.
	 */
	void consentCheck(CandidatePair pair, Duration expiry, Runnable consented) {
		StunCredentials credentials = this.outgoing;
		if (credentials == null) {
			return;
		}
		StunMessage request = IceCheckMessages.check(credentials, IceCheckMessages.peerReflexivePriority(pair.local),
				this.role, this.tieBreaker, false);
		pair.socket.start(request, StunCodec.encode(request, credentials), pair.remoteAddress,
				new Retransmission(expiry, expiry, 1), new IceSocket.Outcome() {

					@Override
					public void answered(StunMessage response, byte[] octets, InetSocketAddress source,
							long roundTripNanos) {
						if (response.messageClass() == StunMessageClass.SUCCESS_RESPONSE
								&& StunCodec.checkIntegrity(octets, credentials) == StunCodec.IntegrityCheck.VALID) {
							consented.run();
						}
					}

					@Override
					public void timedOut() {
					}

				});
	}

	private void checkAnswered(CandidatePair pair, IceRole sentAs, long sentPriority, StunMessage response, byte[] octets,
			long roundTripNanos) {
		StunCredentials credentials = this.outgoing;
		if (this.stopped || credentials == null
				|| StunCodec.checkIntegrity(octets, credentials) != StunCodec.IntegrityCheck.VALID) {
			failed(pair);
			return;
		}
		if (response.messageClass() == StunMessageClass.ERROR_RESPONSE) {
			int code = response.attribute(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
			if (code == IceCheckMessages.ROLE_CONFLICT) {
				if (sentAs == this.role) {
					changeRole(this.role.opposite());
				}
				pair.nominating = false;
				pair.state = CandidatePair.State.WAITING;
				this.checklist.trigger(pair);
				scheduleTick(System.nanoTime());
				return;
			}
			failed(pair);
			return;
		}
		InetSocketAddress mapped = response.mappedAddress().orElse(null);
		if (mapped == null) {
			failed(pair);
			return;
		}
		pair.validLocal = localCandidateAt(pair, mapped, sentPriority);

		pair.roundTripNanos = roundTripNanos;
		pair.state = CandidatePair.State.SUCCEEDED;
		if (this.firstValidNanos == 0) {
			this.firstValidNanos = System.nanoTime();
		}
		this.checklist.unfreeze(pair.foundation);
		this.events.checkSucceeded(describe(pair));
		if (this.selected != null) {
			return;
		}
		if (pair.nominating || (this.role == IceRole.CONTROLLED && pair.nominatedByPeer)) {
			select(pair);
		}
		else if (this.role == IceRole.CONTROLLING) {
			considerNomination();
		}
	}

	/** The local candidate the peer saw: a known one, or one it reveals (peer-reflexive, section 7.2.5.3.1). */
	private IceCandidate localCandidateAt(CandidatePair pair, InetSocketAddress mapped, long sentPriority) {
		if (mapped.equals(pair.socket.base())) {
			return pair.local;
		}
		for (IceCandidate candidate : this.gathering.candidates()) {
			if (candidate.transport() == pair.socket.transport() && mapped.equals(candidate.socketAddress().orElse(null))) {
				return candidate;
			}
		}
		Transport transport = pair.socket.transport();
		return IceCandidate.of(IcePriorities.foundation(IceCandidateType.PEER_REFLEXIVE, transport,
				pair.socket.base().getAddress(), null), sentPriority, transport, mapped,
				IceCandidateType.PEER_REFLEXIVE, pair.socket.base(), pair.socket.tcpType());
	}

	private void failed(CandidatePair pair) {
		pair.state = CandidatePair.State.FAILED;
		boolean wasNominating = pair.nominating;
		pair.nominating = false;
		if (wasNominating && this.selected == null) {
			considerNomination();
		}
	}

	private void changeRole(IceRole newRole) {
		this.role = newRole;
		this.checklist.roleChanged(newRole);
		this.events.roleChanged(newRole);
		if (newRole == IceRole.CONTROLLING) {
			considerNomination();
		}
	}

	// --- regular nomination (RFC 8445 section 8.1.1)

	private void considerNomination() {
		if (this.selected != null || this.stopped || this.role != IceRole.CONTROLLING) {
			return;
		}
		for (CandidatePair pair : this.checklist.pairs()) {
			if (pair.nominating) {
				return;
			}
		}
		CandidatePair best = this.checklist.bestValid();
		if (best == null) {
			return;
		}
		// A better pair is worth waiting for while it may still answer: one not checked yet, up to the nomination
		// delay; one under way, until its first check has had a few of the best pair's round trips to be answered.
		long now = System.nanoTime();
		long grace = Math.max(3 * Math.max(0, best.roundTripNanos), MIN_ANSWER_GRACE_NANOS);
		// two of Ta at least behind a NAT: the peer's check that opens it may come a tick or two after its first
		long reflexiveGrace = Math.max(grace, 2 * this.settings.pacing().toNanos());
		long betterUntil = this.checklist.higherPendingUntil(best, grace, reflexiveGrace, this.peerCheckingSinceNanos);
		long delayEnds = this.firstValidNanos + this.settings.nominationDelay().toNanos();
		// nanoTime values compare by their difference; MIN_VALUE and MAX_VALUE are "none" and "unknown"
		long waitUntil = (betterUntil == Long.MIN_VALUE) ? now
				: (betterUntil == Long.MAX_VALUE || betterUntil - delayEnds > 0) ? delayEnds : betterUntil;
		if (waitUntil - now <= 0) {
			send(best, true);
			return;
		}
		if (this.nominationTimer == null) {
			this.nominationTimer = this.loop.scheduleNanos(() -> {
				this.nominationTimer = null;
				considerNomination();
			}, waitUntil - now);
		}
	}

	private void select(CandidatePair pair) {

		this.selected = pair;
		cancelTimers();
		for (CandidatePair other : this.checklist.pairs()) {
			if (other != pair) {
				other.cancelCheck();
			}
		}
		this.events.selected(pair, describe(pair));
	}

	private IceSelectedPair describe(CandidatePair pair) {
		IceCandidate seen = pair.validLocal;
		return new IceSelectedPair((seen != null) ? seen : pair.local, pair.remote,
				Duration.ofNanos(Math.max(0, pair.roundTripNanos)));
	}

	private void cancelTimers() {
		NatEventLoop.Timer current = this.tick;
		if (current != null) {
			current.cancel();
			this.tick = null;
		}
		NatEventLoop.Timer nomination = this.nominationTimer;
		if (nomination != null) {
			nomination.cancel();
			this.nominationTimer = null;
		}
	}

	private record EarlyCheck(IceSocket socket, InetSocketAddress source, long priority, boolean useCandidate) {
	}

}
