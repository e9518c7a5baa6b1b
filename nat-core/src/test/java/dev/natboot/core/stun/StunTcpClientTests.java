package dev.natboot.core.stun;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.io.NatEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STUN over TCP against a one-connection server on loopback: framing by the length field, and the bounds.
 */
class StunTcpClientTests {

	private final NatEventLoop loop = NatEventLoop.open("stun-tcp-test");

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	void readsAResponseThatArrivesInPieces() throws Exception {
		try (ServerSocket server = serve((request) -> {
			StunMessage answer = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
					request.transactionId(), List.of(new StunAttribute.XorMappedAddress(
							new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242))), true);
			return StunCodec.encode(answer);
		})) {
			StunResponse response = new StunTcpClient(this.loop)
				.binding(address(server), Duration.ofSeconds(3))
				.get(5, TimeUnit.SECONDS);
			assertThat(response.mappedAddress().getPort()).isEqualTo(4242);
		}
	}

	@Test
	void aResponseForAnotherTransactionIsMalformed() throws Exception {
		try (ServerSocket server = serve((request) -> StunCodec.encode(new StunMessage(StunMessageClass.SUCCESS_RESPONSE,
				StunMethod.BINDING, StunMessage.newTransactionId(), List.of(), false)))) {
			assertThat(failure(address(server), Duration.ofSeconds(3)).kind()).isEqualTo(NatErrorKind.MALFORMED_RESPONSE);
		}
	}

	@Test
	void aServerThatSaysNothingTimesOut() throws Exception {
		try (ServerSocket server = serve((request) -> new byte[0])) {
			NatException failure = failure(address(server), Duration.ofMillis(300));
			assertThat(failure.kind()).isIn(NatErrorKind.NO_RESPONSE, NatErrorKind.MALFORMED_RESPONSE);
		}
	}

	@Test
	void anAnnouncedLengthBeyondTheBoundIsRefusedBeforeReading() throws Exception {
		try (ServerSocket server = serve((request) -> StunCodecTests.hex("0101fff02112a442000000000000000000000000"))) {
			assertThat(failure(address(server), Duration.ofSeconds(3)).kind()).isEqualTo(NatErrorKind.MALFORMED_RESPONSE);
		}
	}

	private NatException failure(InetSocketAddress server, Duration timeout) throws Exception {
		try {
			new StunTcpClient(this.loop).binding(server, timeout).get(5, TimeUnit.SECONDS);
			throw new AssertionError("binding succeeded");
		}
		catch (ExecutionException ex) {
			return (NatException) ex.getCause();
		}
	}

	private static InetSocketAddress address(ServerSocket server) {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
	}

	/** Answers one connection, writing the answer a few octets at a time. */
	private static ServerSocket serve(Function<StunMessage, byte[]> answer) throws IOException {
		ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		Thread thread = new Thread(() -> {
			try (Socket socket = server.accept()) {
				InputStream in = socket.getInputStream();
				byte[] header = new DataInputStream(in).readNBytes(20);
				byte[] rest = in.readNBytes(StunCodec.messageLength(header) - 20);
				byte[] request = new byte[header.length + rest.length];
				System.arraycopy(header, 0, request, 0, 20);
				System.arraycopy(rest, 0, request, 20, rest.length);
				byte[] data = answer.apply(StunCodec.decode(request));
				for (int i = 0; i < data.length; i += 7) {
					socket.getOutputStream().write(data, i, Math.min(7, data.length - i));
					socket.getOutputStream().flush();
					Thread.sleep(5);
				}
				Thread.sleep(1000);
			}
			catch (Exception ex) {
				// The test sees what the client made of it.
			}
		}, "fake-stun-tcp");
		thread.setDaemon(true);
		thread.start();
		return server;
	}

}
