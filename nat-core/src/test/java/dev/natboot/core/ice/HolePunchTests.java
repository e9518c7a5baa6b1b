package dev.natboot.core.ice;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Hole punching between two ports of the loopback address; across two NATs in the lab (IceAgentLabTests). */
class HolePunchTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void twoSidesPunchingAtOnceAreThroughAndCarryDatagrams() throws Exception {
		int one = freePort();
		int two = freePort();
		CompletableFuture<HolePunch.Path> first = IceAgent.holePunch(one, LOOPBACK, two, Duration.ofSeconds(5));
		Thread.sleep(100); // the other side starts later, as peers do
		CompletableFuture<HolePunch.Path> second = IceAgent.holePunch(two, LOOPBACK, one, Duration.ofSeconds(5));
		HolePunch.Path a = first.get(10, TimeUnit.SECONDS);
		HolePunch.Path b = second.get(10, TimeUnit.SECONDS);
		try (DatagramSocket x = a.socket(); DatagramSocket y = b.socket()) {
			assertThat(a.remote()).isEqualTo(new InetSocketAddress(LOOPBACK, two));
			assertThat(a.roundTrip()).isLessThan(Duration.ofSeconds(1));
			byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
			x.send(new DatagramPacket(hello, hello.length));
			y.setSoTimeout(2000);
			DatagramPacket received;
			do {
				received = new DatagramPacket(new byte[2048], 2048);
				y.receive(received); // a probe of the linger may come first
			}
			while (received.getLength() != hello.length);
			assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.UTF_8)).isEqualTo("hello");
		}
	}

	@Test
	void aSilentPeerEndsInNoResponseAtTheTimeout() throws Exception {
		try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			long start = System.nanoTime();
			CompletableFuture<HolePunch.Path> punch = HolePunch.punch(freePort(),
					new InetSocketAddress(LOOPBACK, silent.getLocalPort()), Duration.ofMillis(400));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> punch.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(NatException.class,
						(failure) -> assertThat(failure.kind()).isEqualTo(NatErrorKind.NO_RESPONSE));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
	}

	@Test
	void anAnswerFromAnyoneButThePeerDoesNotCount() throws Exception {
		int port = freePort();
		try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
				DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			CompletableFuture<HolePunch.Path> punch = HolePunch.punch(port, new InetSocketAddress(LOOPBACK,
					peer.getLocalPort()), Duration.ofMillis(500));
			peer.setSoTimeout(2000);
			DatagramPacket probe = new DatagramPacket(new byte[2048], 2048);
			peer.receive(probe);
			// a stranger echoes the probe back as if answered: ignored, the peer never answered
			byte[] forged = java.util.Arrays.copyOf(probe.getData(), probe.getLength());
			forged[1] = 0x01;
			forged[0] = 0x01;
			stranger.send(new DatagramPacket(forged, forged.length, new InetSocketAddress(LOOPBACK, port)));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> punch.get(5, TimeUnit.SECONDS));
		}
	}

	private static int freePort() throws Exception {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			return socket.getLocalPort();
		}
	}

}
