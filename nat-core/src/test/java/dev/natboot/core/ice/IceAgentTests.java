package dev.natboot.core.ice;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.Transport;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two agents on the loopback address, and a hostile peer: what the lab shows across NATs with foreign agents,
 * here for the rules of RFC 8445 and RFC 7675 one at a time.
 */
class IceAgentTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	private IceAgent agent(IceRole role) {
		return agent(IceAgent.builder().role(role));
	}

	private IceAgent agent(IceAgentBuilder builder) {
		IceAgent agent = builder.localAddresses(List.of(LOOPBACK)).build();
		this.closing.add(agent);
		return agent;
	}

	private static IceConnection[] connect(IceAgent first, IceAgent second) throws Exception {
		IceDescription firstDescription = first.gather().get(5, TimeUnit.SECONDS);
		IceDescription secondDescription = second.gather().get(5, TimeUnit.SECONDS);
		CompletableFuture<IceConnection> one = first.connect(secondDescription, Duration.ofSeconds(5));
		CompletableFuture<IceConnection> two = second.connect(firstDescription, Duration.ofSeconds(5));
		return new IceConnection[] { one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS) };
	}

	private static void assertExchanges(IceConnection from, IceConnection to) throws Exception {
		assertThat(from.send("hello".getBytes(StandardCharsets.UTF_8))).isTrue();
		byte[] received = to.receive(Duration.ofSeconds(2));
		assertThat(received).isNotNull();
		assertThat(new String(received, StandardCharsets.UTF_8)).isEqualTo("hello");
	}

	@Test
	void aControllingAndAControlledAgentConnectAndCarryDatagramsBothWays() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceAgent controlled = agent(IceRole.CONTROLLED);
		IceConnection[] connections = connect(controlling, controlled);
		assertExchanges(connections[0], connections[1]);
		assertExchanges(connections[1], connections[0]);
		IceSelectedPair pair = connections[0].selectedPair();
		assertThat(pair.local().type()).isEqualTo(IceCandidateType.HOST);
		assertThat(pair.remote().type()).isEqualTo(IceCandidateType.HOST);
		assertThat(pair.direct()).isTrue();
		assertThat(connections[0].remoteAddress()).isEqualTo(connections[1].localAddress());
		assertThat(controlling.role()).isEqualTo(IceRole.CONTROLLING);
		assertThat(controlled.role()).isEqualTo(IceRole.CONTROLLED);
		assertThat(controlling.counters().checksRejected()).isZero();
	}

	@Test
	void twoControllingAgentsSettleTheRoleConflictAndConnect() throws Exception {
		assertRoleConflictSettled(IceRole.CONTROLLING);
	}

	@Test
	void twoControlledAgentsSettleTheRoleConflictAndConnect() throws Exception {
		assertRoleConflictSettled(IceRole.CONTROLLED);
	}

	private void assertRoleConflictSettled(IceRole both) throws Exception {
		List<IceRole> changes = new CopyOnWriteArrayList<>();
		IceAgentListener listener = new IceAgentListener() {
			@Override
			public void roleChanged(IceRole role) {
				changes.add(role);
			}
		};
		IceAgent first = agent(IceAgent.builder().role(both).listener(listener));
		IceAgent second = agent(IceAgent.builder().role(both).listener(listener));
		IceConnection[] connections = connect(first, second);
		assertExchanges(connections[0], connections[1]);
		assertThat(List.of(first.role(), second.role())).containsExactlyInAnyOrder(IceRole.CONTROLLING,
				IceRole.CONTROLLED);
		assertThat(changes).containsExactly(both.opposite());
	}

	@Test
	void aPeerThatCheckedFromAnAddressItsDescriptionDoesNotNameIsPeerReflexive() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceAgent controlled = agent(IceRole.CONTROLLED);
		IceDescription controllingDescription = controlling.gather().get(5, TimeUnit.SECONDS);
		IceDescription controlledDescription = controlled.gather().get(5, TimeUnit.SECONDS);
		// the controlling side's description names a port nothing listens on, as a NAT's mapping would differ
		IceCandidate real = controllingDescription.candidates().get(0);
		IceCandidate elsewhere = IceCandidate.of(real.foundation(), real.priority(), Transport.UDP,
				new InetSocketAddress(LOOPBACK, freePort()), IceCandidateType.HOST, null, null);
		CompletableFuture<IceConnection> one = controlling.connect(controlledDescription, Duration.ofSeconds(5));
		CompletableFuture<IceConnection> two = controlled
			.connect(IceDescription.of(controllingDescription.credentials(), List.of(elsewhere)), Duration.ofSeconds(5));
		IceConnection controlledConnection = two.get(10, TimeUnit.SECONDS);
		IceConnection controllingConnection = one.get(10, TimeUnit.SECONDS);
		assertThat(controlledConnection.selectedPair().remote().type()).isEqualTo(IceCandidateType.PEER_REFLEXIVE);
		assertThat(controlledConnection.remoteAddress()).isEqualTo(controllingConnection.localAddress());
		assertExchanges(controlledConnection, controllingConnection);
	}

	@Test
	void aPeerThatConnectsLaterIsAnsweredAndConnects() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceAgent controlled = agent(IceRole.CONTROLLED);
		IceDescription controllingDescription = controlling.gather().get(5, TimeUnit.SECONDS);
		IceDescription controlledDescription = controlled.gather().get(5, TimeUnit.SECONDS);
		CompletableFuture<IceConnection> one = controlling.connect(controlledDescription, Duration.ofSeconds(5));
		Thread.sleep(300); // the controlling agent's checks reach a peer that has no remote description yet
		CompletableFuture<IceConnection> two = controlled.connect(controllingDescription, Duration.ofSeconds(5));
		assertExchanges(one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS));
	}

	@Test
	void aPeerWithTheWrongPasswordNeverConnectsAndTheAgentTimesOut() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceAgent controlled = agent(IceRole.CONTROLLED);
		IceDescription controllingDescription = controlling.gather().get(5, TimeUnit.SECONDS);
		IceDescription controlledDescription = controlled.gather().get(5, TimeUnit.SECONDS);
		IceDescription forged = new IceDescription(
				new IceCredentials(controlledDescription.credentials().ufrag(), "wrongwrongwrongwrongwrong"),
				controlledDescription.options(), controlledDescription.candidates(), true, 0);
		CompletableFuture<IceConnection> one = controlling.connect(forged, Duration.ofMillis(1500));
		controlled.connect(controllingDescription, Duration.ofMillis(1500));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> one.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(IceException.class,
					(failure) -> assertThat(failure.reason()).isEqualTo(IceException.Reason.TIMEOUT));
		assertThat(controlled.counters().checksRejected()).isPositive();
		assertThat(controlled.counters().checksReceived()).isZero();
	}

	@Test
	void itsOwnDescriptionIsRefused() throws Exception {
		IceAgent agent = agent(IceRole.CONTROLLING);
		IceDescription own = agent.gather().get(5, TimeUnit.SECONDS);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> agent.connect(own, Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(IceException.class,
					(failure) -> assertThat(failure.reason()).isEqualTo(IceException.Reason.BAD_DESCRIPTION));
	}

	@Test
	void closingWhileCheckingFailsTheConnectAtOnce() throws Exception {
		IceAgent agent = agent(IceRole.CONTROLLING);
		IceAgent silent = agent(IceRole.CONTROLLED);
		agent.gather().get(5, TimeUnit.SECONDS);
		CompletableFuture<IceConnection> pending = agent.connect(silent.gather().get(5, TimeUnit.SECONDS),
				Duration.ofSeconds(30));
		long start = System.nanoTime();
		agent.close();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> pending.get(2, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(IceException.class,
					(failure) -> assertThat(failure.reason()).isEqualTo(IceException.Reason.CLOSED));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void aConnectionWhosePeerIsGoneLosesConsent() throws Exception {
		IceAgent first = agent(IceAgent.builder().role(IceRole.CONTROLLING).consent(Duration.ofMillis(100),
				Duration.ofMillis(600)));
		IceAgent second = agent(IceRole.CONTROLLED);
		IceConnection[] connections = connect(first, second);
		List<IceException> failures = new CopyOnWriteArrayList<>();
		first.addListener(new IceAgentListener() {
			@Override
			public void failed(IceException failure) {
				failures.add(failure);
			}
		});
		Thread.sleep(400);
		assertThat(connections[0].isOpen()).as("consent is refreshed while the peer answers").isTrue();
		second.close();
		IceException reason = connections[0].closed().get(5, TimeUnit.SECONDS);
		assertThat(reason.reason()).isEqualTo(IceException.Reason.CONSENT_LOST);
		assertThat(connections[0].send(new byte[] { 1 })).as("nothing is sent without consent").isFalse();
		assertThat(failures).extracting(IceException::reason).containsExactly(IceException.Reason.CONSENT_LOST);
	}

	@Test
	void aFloodOfChecksIsDroppedBeyondTheRateLimitAndTheAgentStillConnects() throws Exception {
		IceAgent controlled = agent(IceAgent.builder().role(IceRole.CONTROLLED).checkRateLimit(50));
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceDescription target = controlled.gather().get(5, TimeUnit.SECONDS);
		InetSocketAddress address = target.candidates().get(0).socketAddress().orElseThrow();
		try (DatagramSocket flooder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			StunCredentials wrong = StunCredentials.shortTerm(target.credentials().ufrag() + ":x", "notthepassword");
			for (int i = 0; i < 2000; i++) {
				StunMessage check = new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING,
						StunMessage.newTransactionId(), List.of(new StunAttribute.Username(wrong.username()),
								new StunAttribute.Priority(1), new StunAttribute.IceControlling(i)),
						true);
				byte[] octets = StunCodec.encode(check, wrong);
				flooder.send(new DatagramPacket(octets, octets.length, address));
			}
		}
		IceConnection[] connections = connect(controlling, controlled);
		assertExchanges(connections[0], connections[1]);
		IceCounters counters = controlled.counters();
		assertThat(counters.checksDropped()).isPositive();
		assertThat(counters.checksRejected()).isLessThan(2000 - counters.checksDropped() + 1);
	}

	@Test
	void datagramsFromAnyoneButTheSelectedPeerAreDropped() throws Exception {
		IceConnection[] connections = connect(agent(IceRole.CONTROLLING), agent(IceRole.CONTROLLED));
		try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			byte[] data = "spoof".getBytes(StandardCharsets.UTF_8);
			stranger.send(new DatagramPacket(data, data.length, connections[1].localAddress()));
		}
		assertThat(connections[1].receive(Duration.ofMillis(300))).isNull();
		assertExchanges(connections[0], connections[1]);
	}

	@Test
	void aSecondConnectFailsAndLeavesTheFirstAlone() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceAgent controlled = agent(IceRole.CONTROLLED);
		IceDescription controllingDescription = controlling.gather().get(5, TimeUnit.SECONDS);
		IceDescription controlledDescription = controlled.gather().get(5, TimeUnit.SECONDS);
		CompletableFuture<IceConnection> first = controlling.connect(controlledDescription, Duration.ofSeconds(5));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> controlling.connect(controlledDescription, Duration.ofSeconds(5)).get(1, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(IceException.class,
					(failure) -> assertThat(failure.reason()).isEqualTo(IceException.Reason.ILLEGAL_STATE));
		CompletableFuture<IceConnection> second = controlled.connect(controllingDescription, Duration.ofSeconds(5));
		assertExchanges(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
	}

	@Test
	void aDatagramLongerThanAnyStunMessageArrivesWhole() throws Exception {
		IceConnection[] connections = connect(agent(IceRole.CONTROLLING), agent(IceRole.CONTROLLED));
		byte[] large = new byte[30_000];
		java.util.Arrays.fill(large, (byte) 'x');
		assertThat(connections[0].send(large)).isTrue();
		assertThat(connections[1].receive(Duration.ofSeconds(2))).hasSize(30_000);
	}

	@Test
	void withTrickleIceCandidatesThatComeAfterTheDescriptionsAreCheckedAsTheyCome() throws Exception {
		IceAgent controlling = agent(IceAgent.builder().role(IceRole.CONTROLLING).trickle(true));
		IceAgent controlled = agent(IceAgent.builder().role(IceRole.CONTROLLED).trickle(true));
		controlling.gather().get(5, TimeUnit.SECONDS);
		controlled.gather().get(5, TimeUnit.SECONDS);
		IceDescription controllingLocal = controlling.localDescription();
		assertThat(controllingLocal.options()).contains("trickle");
		assertThat(controllingLocal.toSdp()).contains("a=ice-options:trickle");
		// the descriptions go first, without a candidate; the candidates follow, one side's only after a while
		CompletableFuture<IceConnection> one = controlling.connect(
				new IceDescription(controlled.credentials(), java.util.Set.of("trickle"), List.of(), false, 0),
				Duration.ofSeconds(5));
		CompletableFuture<IceConnection> two = controlled.connect(
				new IceDescription(controllingLocal.credentials(), java.util.Set.of("trickle"), List.of(), false, 0),
				Duration.ofSeconds(5));
		Thread.sleep(200);
		assertThat(one).isNotDone();
		controlling.addRemoteCandidate(controlled.localDescription().candidates().get(0));
		controlled.addRemoteCandidate(controllingLocal.candidates().get(0));
		assertExchanges(one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS));
	}

	@Test
	void anIceRestartGivesNewCredentialsAndTheConnectionGoesOnThroughIt() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING);
		IceAgent controlled = agent(IceRole.CONTROLLED);
		IceConnection[] connections = connect(controlling, controlled);
		IceCredentials before = controlling.credentials();
		assertThatExceptionOfType(ExecutionException.class).as("a second connect without a restart")
			.isThrownBy(() -> controlling.connect(controlled.gather().get(), Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS));
		IceDescription controllingAgain = controlling.restart().get(5, TimeUnit.SECONDS);
		IceDescription controlledAgain = controlled.restart().get(5, TimeUnit.SECONDS);
		assertThat(controllingAgain.credentials().ufrag()).isNotEqualTo(before.ufrag());
		assertExchanges(connections[0], connections[1]); // the old pair carries on meanwhile
		CompletableFuture<IceConnection> one = controlling.connect(controlledAgain, Duration.ofSeconds(5));
		CompletableFuture<IceConnection> two = controlled.connect(controllingAgain, Duration.ofSeconds(5));
		assertThat(one.get(10, TimeUnit.SECONDS)).isSameAs(connections[0]);
		assertThat(two.get(10, TimeUnit.SECONDS)).isSameAs(connections[1]);
		assertExchanges(connections[1], connections[0]);
		assertThat(connections[0].isOpen()).isTrue();
	}

	@Test
	void onlyAConnectedAgentRestarts() throws Exception {
		IceAgent agent = agent(IceRole.CONTROLLING);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> agent.restart().get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(IceException.class,
					(failure) -> assertThat(failure.reason()).isEqualTo(IceException.Reason.ILLEGAL_STATE));
	}

	private static int freePort() throws Exception {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			return socket.getLocalPort();
		}
	}

}
