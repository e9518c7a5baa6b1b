package dev.natboot.core.ice;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICE-TCP (RFC 6544) between two agents on the loopback address, and against a hostile client of the passive
 * candidate; the lab shows it across NATs, with UDP blocked, and with libnice.
 */
class IceTcpAgentTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	private IceAgent agent(IceRole role, Transport... transports) {
		IceAgent agent = IceAgent.builder().role(role).transports(transports).localAddresses(List.of(LOOPBACK)).build();
		this.closing.add(agent);
		return agent;
	}

	private static IceConnection[] connect(IceAgent first, IceAgent second) throws Exception {
		IceDescription firstDescription = IceDescription.parse(first.gather().get(5, TimeUnit.SECONDS).toSdp());
		IceDescription secondDescription = IceDescription.parse(second.gather().get(5, TimeUnit.SECONDS).toSdp());
		CompletableFuture<IceConnection> one = first.connect(secondDescription, Duration.ofSeconds(8));
		CompletableFuture<IceConnection> two = second.connect(firstDescription, Duration.ofSeconds(8));
		return new IceConnection[] { one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS) };
	}

	@Test
	void aTcpOnlyAgentOffersAnActiveAPassiveAndASimultaneousOpenCandidateOnEachAddress() throws Exception {
		IceDescription description = agent(IceRole.CONTROLLING, Transport.TCP).gather().get(5, TimeUnit.SECONDS);
		assertThat(description.candidates()).extracting(IceCandidate::transport).containsOnly(Transport.TCP);
		assertThat(description.candidates()).extracting(IceCandidate::tcpType)
			.containsExactlyInAnyOrder(IceTcpType.ACTIVE, IceTcpType.PASSIVE, IceTcpType.SIMULTANEOUS_OPEN);
		IceCandidate active = description.candidates().stream()
			.filter((candidate) -> candidate.tcpType() == IceTcpType.ACTIVE).findFirst().orElseThrow();
		assertThat(active.port()).isEqualTo(9);
		assertThat(active.toSdp()).contains(" TCP ").contains("tcptype active");
		// UDP first wherever both connect: every TCP candidate below every UDP one of its type
		IceDescription both = agent(IceRole.CONTROLLING, Transport.UDP, Transport.TCP).gather().get(5, TimeUnit.SECONDS);
		long lowestUdp = both.candidates().stream().filter((candidate) -> candidate.transport() == Transport.UDP)
			.mapToLong(IceCandidate::priority).min().orElseThrow();
		assertThat(both.candidates()).filteredOn((candidate) -> candidate.transport() == Transport.TCP)
			.allSatisfy((candidate) -> assertThat(candidate.priority()).isLessThan(lowestUdp));
	}

	@Test
	void twoTcpOnlyAgentsConnectAndCarryDatagramsInOrderBothWays() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING, Transport.TCP);
		IceAgent controlled = agent(IceRole.CONTROLLED, Transport.TCP);
		IceConnection[] connections = connect(controlling, controlled);
		IceSelectedPair pair = connections[0].selectedPair();
		assertThat(pair.local().transport()).isEqualTo(Transport.TCP);
		assertThat(pair.remote().transport()).isEqualTo(Transport.TCP);
		for (IceConnection from : connections) {
			IceConnection to = (from == connections[0]) ? connections[1] : connections[0];
			for (int index = 0; index < 200; index++) {
				assertThat(from.send(("message " + index).getBytes(StandardCharsets.UTF_8))).isTrue();
			}
			for (int index = 0; index < 200; index++) {
				byte[] received = to.receive(Duration.ofSeconds(2));
				assertThat(received).isNotNull();
				assertThat(new String(received, StandardCharsets.UTF_8)).isEqualTo("message " + index);
			}
		}
		byte[] large = new byte[IceTcpFraming.MAX_PACKET];
		large[0] = 1;
		large[large.length - 1] = 2;
		assertThat(connections[0].send(large)).isTrue();
		assertThat(connections[1].receive(Duration.ofSeconds(2))).isEqualTo(large);
		assertThat(connections[0].send(new byte[IceTcpFraming.MAX_PACKET + 1])).as("longer than a frame").isFalse();
	}

	@Test
	void aTcpConnectionCarriesAStreamOfOctetsAndAUdpOneRefusesTo() throws Exception {
		IceConnection[] connections = connect(agent(IceRole.CONTROLLING, Transport.TCP),
				agent(IceRole.CONTROLLED, Transport.TCP));
		byte[] sent = new byte[3 * 1024 * 1024 + 7];
		new java.util.Random(1).nextBytes(sent);
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
			try (java.io.OutputStream output = connections[0].outputStream()) {
				output.write(sent, 0, 100);
				output.write(sent, 100, sent.length - 100);
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		java.io.InputStream input = connections[1].inputStream();
		byte[] received = new byte[sent.length];
		int read = 0;
		while (read < received.length) {
			int count = input.read(received, read, Math.min(50_000, received.length - read));
			assertThat(count).isPositive();
			read += count;
		}
		writing.get(10, TimeUnit.SECONDS);
		assertThat(received).isEqualTo(sent);
		long closing = System.nanoTime();
		connections[0].close();
		assertThat(input.read()).as("the end of the stream once the connection closed").isEqualTo(-1);
		assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("the peer's FIN, not the consent timeout")
			.isLessThan(Duration.ofSeconds(2));
		assertThat(connections[1].closed().get(1, TimeUnit.SECONDS).reason()).isEqualTo(IceException.Reason.CONSENT_LOST);
		IceConnection[] udp = connect(agent(IceRole.CONTROLLING, Transport.UDP), agent(IceRole.CONTROLLED, Transport.UDP));
		org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(udp[0]::inputStream);
		org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(udp[0]::outputStream);
	}

	@Test
	void onlyTheSelectedPairsConnectionStaysOpen() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING, Transport.TCP);
		IceAgent controlled = agent(IceRole.CONTROLLED, Transport.TCP);
		IceConnection[] connections = connect(controlling, controlled);
		// the checks opened one connection for each pair of active and passive or so candidates
		assertThat(controlling.currentChecks().pairs()).hasSizeGreaterThan(1);
		assertThat(controlling.tcpConnections() + controlled.tcpConnections()).as("one connection, seen from both ends")
			.isEqualTo(2);
		assertThat(connections[0].send("still open".getBytes(StandardCharsets.UTF_8))).isTrue();
		assertThat(connections[1].receive(Duration.ofSeconds(2))).isEqualTo("still open".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void withBothTransportsTheUdpPairIsSelected() throws Exception {
		IceConnection[] connections = connect(agent(IceRole.CONTROLLING, Transport.UDP, Transport.TCP),
				agent(IceRole.CONTROLLED, Transport.UDP, Transport.TCP));
		assertThat(connections[0].selectedPair().local().transport()).isEqualTo(Transport.UDP);
		assertThat(connections[1].selectedPair().local().transport()).isEqualTo(Transport.UDP);
	}

	@Test
	void strangersOnThePassivePortNeitherStopTheAgentsNorOutnumberItsLimit() throws Exception {
		IceAgent controlling = agent(IceRole.CONTROLLING, Transport.TCP);
		IceAgent controlled = agent(IceRole.CONTROLLED, Transport.TCP);
		IceDescription controlledDescription = controlled.gather().get(5, TimeUnit.SECONDS);
		InetSocketAddress passive = controlledDescription.candidates().stream()
			.filter((candidate) -> candidate.tcpType() == IceTcpType.PASSIVE)
			.findFirst().orElseThrow().socketAddress().orElseThrow();
		List<Socket> strangers = new ArrayList<>();
		try {
			for (int index = 0; index < 3 * IceTcpLink.MAX_CONNECTIONS; index++) {
				Socket stranger = new Socket();
				stranger.connect(passive, 3000);
				strangers.add(stranger);
				OutputStream output = stranger.getOutputStream();
				if (index % 3 == 0) {
					output.write(new byte[] { (byte) 0xff, (byte) 0xff, 1, 2, 3 }); // a frame that never ends
				}
				else if (index % 3 == 1) {
					output.write(IceTcpFraming.frame("not a check".getBytes(StandardCharsets.UTF_8)));
				}
				output.flush();
			}
			IceConnection[] connections = connect(controlling, controlled);
			assertThat(connections[0].send("hello".getBytes(StandardCharsets.UTF_8))).isTrue();
			assertThat(connections[1].receive(Duration.ofSeconds(2))).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
			assertThat(controlled.tcpConnections()).isEqualTo(1);
			assertThat(controlled.counters().checksRejected()).isZero();
		}
		finally {
			for (Socket stranger : strangers) {
				stranger.close();
			}
		}
	}

}
