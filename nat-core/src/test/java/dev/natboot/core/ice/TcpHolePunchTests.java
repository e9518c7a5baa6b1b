package dev.natboot.core.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
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

/** TCP simultaneous open on the loopback address; across two NATs in the lab. */
class TcpHolePunchTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void twoSidesThatConnectToEachOtherFromTheirListeningPortsGetOneConnection() throws Exception {
		int first = freePort();
		int second = freePort();
		CompletableFuture<TcpHolePunch.Path> one = TcpHolePunch.punch(first, new InetSocketAddress(LOOPBACK, second),
				Duration.ZERO, Duration.ofSeconds(5));
		CompletableFuture<TcpHolePunch.Path> two = TcpHolePunch.punch(second, new InetSocketAddress(LOOPBACK, first),
				Duration.ofMillis(30), Duration.ofSeconds(5));
		try (var a = one.get(10, TimeUnit.SECONDS).channel(); var b = two.get(10, TimeUnit.SECONDS).channel()) {
			assertThat(((InetSocketAddress) a.getLocalAddress()).getPort()).isEqualTo(first);
			assertThat(((InetSocketAddress) a.getRemoteAddress()).getPort()).isEqualTo(second);
			assertThat(((InetSocketAddress) b.getLocalAddress()).getPort()).isEqualTo(second);
			a.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
			ByteBuffer received = ByteBuffer.allocate(5);
			while (received.hasRemaining()) {
				b.read(received);
			}
			assertThat(new String(received.array(), StandardCharsets.UTF_8)).isEqualTo("hello");
		}
	}

	@Test
	void aPeerThatNeverAnswersFailsAtTheTimeoutAfterABoundedNumberOfTries() {
		int port = freePort();
		long started = System.nanoTime();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> TcpHolePunch.punch(port, new InetSocketAddress(LOOPBACK, freePort()), Duration.ZERO,
					Duration.ofMillis(800)).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(NatException.class, (failure) -> {
				assertThat(failure.kind()).isEqualTo(NatErrorKind.NO_RESPONSE);
				assertThat(failure.getMessage()).containsPattern("within 800 ms \\((\\d+) tries\\)");
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void aStrangerOnTheListeningPortIsNotTakenForThePeer() throws Exception {
		int port = freePort();
		int peerPort = freePort();
		CompletableFuture<TcpHolePunch.Path> punching = TcpHolePunch.punch(port,
				new InetSocketAddress(LOOPBACK, peerPort), Duration.ZERO, Duration.ofSeconds(5));
		Thread.sleep(100);
		try (Socket stranger = new Socket(LOOPBACK, port)) {
			Thread.sleep(100);
			assertThat(punching).isNotDone();
			assertThat(stranger.getInputStream().read()).as("closed by the puncher").isEqualTo(-1);
		}
		// the peer arrives: from its own port, as a peer that punches does
		try (ServerSocket peer = new ServerSocket()) {
			peer.setReuseAddress(true);
			peer.bind(new InetSocketAddress(LOOPBACK, peerPort));
			TcpHolePunch.Path path = punching.get(5, TimeUnit.SECONDS);
			assertThat(((InetSocketAddress) path.channel().getRemoteAddress()).getPort()).isEqualTo(peerPort);
			assertThat(path.accepted()).isFalse();
			path.channel().close();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
