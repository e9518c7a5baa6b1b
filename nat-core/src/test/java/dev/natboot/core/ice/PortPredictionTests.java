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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Port prediction on the loopback address, where nothing filters, so the hard side's own packets reach the easy
 * side and few probes go to random loopback ports: the two sides agree on one path and it carries datagrams.
 * The birthday odds behind a symmetric NAT are the lab's.
 */
class PortPredictionTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void bothSidesAgreeOnOnePathAndItCarriesTheirDatagrams() throws Exception {
		int easyPort;
		try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			easyPort = free.getLocalPort();
		}
		CompletableFuture<HolePunch.Path> hard = PortPrediction.fromHardSide(new InetSocketAddress(LOOPBACK, easyPort),
				64, Duration.ofSeconds(5));
		CompletableFuture<HolePunch.Path> easy = PortPrediction.fromEasySide(easyPort, LOOPBACK, 64, 1000,
				Duration.ofSeconds(5));
		HolePunch.Path easyPath = easy.get(10, TimeUnit.SECONDS);
		HolePunch.Path hardPath = hard.get(10, TimeUnit.SECONDS);
		try (DatagramSocket one = easyPath.socket(); DatagramSocket two = hardPath.socket()) {
			assertThat(easyPath.remote().getPort()).as("the easy side's peer is the hard side's chosen socket")
				.isEqualTo(two.getLocalPort());
			assertThat(hardPath.remote().getPort()).isEqualTo(easyPort);
			byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
			one.send(new DatagramPacket(hello, hello.length));
			DatagramPacket received = new DatagramPacket(new byte[64], 64);
			two.setSoTimeout(2000);
			do {
				two.receive(received);
			}
			while (received.getLength() != hello.length);
			assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.UTF_8)).isEqualTo("hello");
		}
	}

	@Test
	void aPeerThatIsNotThereEndsInTimeWithATypedError() {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> PortPrediction.fromEasySide(0, InetAddress.getByName("127.0.0.2"), 16, 1000,
					Duration.ofMillis(300)).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(NatException.class,
					(failure) -> assertThat(failure.kind()).isEqualTo(NatErrorKind.NO_RESPONSE));
	}

	@Test
	void whatOneCallSendsIsBounded() {
		InetSocketAddress peer = new InetSocketAddress(LOOPBACK, 9);
		assertThatIllegalArgumentException().isThrownBy(() -> PortPrediction.fromHardSide(peer, 0, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PortPrediction.fromHardSide(peer, PortPrediction.MAX_SOCKETS + 1, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> PortPrediction.fromEasySide(0, LOOPBACK,
				PortPrediction.MAX_PROBES + 1, 100, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> PortPrediction.fromEasySide(0, LOOPBACK, 10,
				PortPrediction.MAX_PROBES_PER_SECOND + 1, Duration.ofSeconds(1)));
	}

}
