package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.Transport;
import dev.natboot.core.io.NatEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checklist's order, states and limits (RFC 8445 section 6.1.2), and the rate limit of the peer's checks. */
class IceChecklistTests {

	private final NatEventLoop loop = NatEventLoop.open("test");

	private final List<IceSocket> sockets = new ArrayList<>();

	@AfterEach
	void close() {
		this.sockets.forEach(IceSocket::close);
		this.loop.close();
	}

	private IceSocket socket() throws Exception {
		IceSocket socket = IceSocket.open(this.loop, InetAddress.getLoopbackAddress(), 0, new IceSocket.Receiver() {
			@Override
			public void request(IceSocket s, dev.natboot.core.stun.StunMessage m, byte[] o, InetSocketAddress f) {
			}

			@Override
			public void data(IceSocket s, byte[] d, InetSocketAddress f) {
			}
		});
		this.sockets.add(socket);
		return socket;
	}

	private static IceCandidate candidate(String foundation, IceCandidateType type, int port) {
		return IceCandidate.of(foundation, IcePriorities.candidatePriority(type.recommendedPreference(), 65535, 1),
				Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), type, null, null);
	}

	@Test
	void pairsAreCheckedByPriorityWithOneWaitingPairPerFoundationAndTriggeredChecksFirst() throws Exception {
		IceSocket socket = socket();
		IceCandidate local = candidate("l", IceCandidateType.HOST, socket.base().getPort());
		IceChecklist checklist = new IceChecklist(IceRole.CONTROLLING);
		CandidatePair relayed = checklist.add(new CandidatePair(socket, local, candidate("r", IceCandidateType.RELAYED, 1001),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 1001)));
		CandidatePair host = checklist.add(new CandidatePair(socket, local, candidate("h", IceCandidateType.HOST, 1002),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 1002)));
		CandidatePair sameFoundation = checklist.add(new CandidatePair(socket, local,
				candidate("h", IceCandidateType.SERVER_REFLEXIVE, 1003),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 1003)));
		checklist.unfreezeInitial();
		assertThat(checklist.pairs()).containsExactly(host, sameFoundation, relayed);
		assertThat(host.state).isEqualTo(CandidatePair.State.WAITING);
		assertThat(sameFoundation.state).as("its foundation has a pair waiting").isEqualTo(CandidatePair.State.FROZEN);
		assertThat(relayed.state).isEqualTo(CandidatePair.State.WAITING);
		checklist.trigger(relayed);
		assertThat(checklist.next()).as("triggered first").isSameAs(relayed);
		assertThat(checklist.next()).isSameAs(host);
		assertThat(checklist.add(new CandidatePair(socket, local, candidate("x", IceCandidateType.HOST, 1002),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 1002)))).as("the same 5-tuple is pruned")
			.isSameAs(host);
	}

	@Test
	void aBetterPairUnderWayIsWaitedForOnlyUntilItAndThePeersChecksHadTheirGrace() throws Exception {
		IceSocket socket = socket();
		IceCandidate local = candidate("l", IceCandidateType.HOST, socket.base().getPort());
		IceChecklist checklist = new IceChecklist(IceRole.CONTROLLING);
		CandidatePair better = checklist.add(new CandidatePair(socket, local, candidate("h", IceCandidateType.HOST, 2001),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 2001)));
		CandidatePair valid = checklist.add(new CandidatePair(socket, local, candidate("r", IceCandidateType.RELAYED, 2002),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 2002)));
		valid.state = CandidatePair.State.SUCCEEDED;
		better.state = CandidatePair.State.WAITING;
		assertThat(checklist.higherPendingUntil(valid, 15_000_000, 40_000_000, 500)).as("not checked yet")
			.isEqualTo(Long.MAX_VALUE);
		better.state = CandidatePair.State.IN_PROGRESS;
		better.firstCheckNanos = 1_000;
		assertThat(checklist.higherPendingUntil(valid, 15_000_000, 40_000_000, 0)).as("a host pair: its own grace")
			.isEqualTo(15_001_000);
		better.state = CandidatePair.State.FAILED;
		assertThat(checklist.higherPendingUntil(valid, 15_000_000, 40_000_000, 500)).isEqualTo(Long.MIN_VALUE);
		assertThat(checklist.bestValid()).isSameAs(valid);
	}

	@Test
	void aBetterPairToAPeerBehindANatIsWaitedForUntilThePeersOwnChecksHadTheirGrace() throws Exception {
		IceSocket socket = socket();
		IceCandidate local = candidate("l", IceCandidateType.HOST, socket.base().getPort());
		IceChecklist checklist = new IceChecklist(IceRole.CONTROLLING);
		CandidatePair reflexive = checklist.add(new CandidatePair(socket, local,
				candidate("s", IceCandidateType.SERVER_REFLEXIVE, 2001),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 2001)));
		CandidatePair valid = checklist.add(new CandidatePair(socket, local, candidate("r", IceCandidateType.RELAYED, 2002),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 2002)));
		valid.state = CandidatePair.State.SUCCEEDED;
		reflexive.state = CandidatePair.State.IN_PROGRESS;
		reflexive.firstCheckNanos = 1_000;
		assertThat(checklist.higherPendingUntil(valid, 15_000_000, 40_000_000, 0))
			.as("the peer has checked nothing yet: its NAT may still open").isEqualTo(Long.MAX_VALUE);
		assertThat(checklist.higherPendingUntil(valid, 15_000_000, 40_000_000, 500)).isEqualTo(40_001_000);
		assertThat(checklist.higherPendingUntil(valid, 15_000_000, 40_000_000, 9_000))
			.as("from the peer's first check, later than ours").isEqualTo(40_009_000);
	}

	@Test
	void theChecklistHoldsAtMostAHundredPairsKeepingTheBest() throws Exception {
		IceSocket socket = socket();
		IceCandidate local = candidate("l", IceCandidateType.HOST, socket.base().getPort());
		IceChecklist checklist = new IceChecklist(IceRole.CONTROLLED);
		for (int port = 3000; port < 3000 + IceChecklist.MAX_PAIRS; port++) {
			checklist.add(new CandidatePair(socket, local, candidate("r" + port, IceCandidateType.RELAYED, port),
					new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
		}
		assertThat(checklist.add(new CandidatePair(socket, local, candidate("r", IceCandidateType.RELAYED, 4000),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000)))).as("no better than the lowest").isNull();
		CandidatePair host = checklist.add(new CandidatePair(socket, local, candidate("h", IceCandidateType.HOST, 4001),
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 4001)));
		assertThat(host).isNotNull();
		assertThat(checklist.pairs()).hasSize(IceChecklist.MAX_PAIRS).first().isSameAs(host);
	}

	@Test
	void aSourceOverTheRateLimitIsDroppedAndOthersAreNot() {
		CheckRateLimiter limiter = new CheckRateLimiter(100, 10);
		InetSocketAddress flooder = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
		InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2);
		long now = System.nanoTime() + 1_000_000_000L;
		int allowed = 0;
		for (int i = 0; i < 1000; i++) {
			if (limiter.allow(flooder, now)) {
				allowed++;
			}
		}
		assertThat(allowed).as("the burst, no more at one instant").isEqualTo(10);
		assertThat(limiter.allow(peer, now)).as("another source has its own bucket").isTrue();
		assertThat(limiter.allow(flooder, now + 100_000_000L)).as("refilled at 100 a second").isTrue();
	}

}
