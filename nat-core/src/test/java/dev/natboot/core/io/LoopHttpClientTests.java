package dev.natboot.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoopHttpClientTests {

	private final NatEventLoop loop = NatEventLoop.open("test-loop");

	private final LoopHttpClient client = new LoopHttpClient(this.loop, NatProtocol.UPNP);

	private ServerSocket server;

	@AfterEach
	void close() throws IOException {
		this.loop.close();
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void sendsTheRequestInOnePieceAndReadsTheAnswer() throws Exception {
		AtomicReference<String> request = new AtomicReference<>();
		serve((socket) -> {
			byte[] received = new byte[512];
			int length = socket.getInputStream().read(received);
			request.set(new String(received, 0, length, StandardCharsets.US_ASCII));
			socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
		});
		LoopHttpClient.Answer answer = send(URI.create("http://127.0.0.1:" + this.server.getLocalPort() + "/ctl?x=1"),
				Duration.ofSeconds(2)).get();
		// Headers and body arrive in one read: no Nagle/delayed-ACK stall between them.
		assertThat(request.get()).startsWith("POST /ctl?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
			.contains("Connection: close\r\n", "SOAPAction: \"x#y\"\r\n", "Content-Length: 4\r\n")
			.endsWith("\r\n\r\n<x/>");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void givesUpOnADeviceThatNeverFinishes() throws Exception {
		serve((socket) -> {
			OutputStream out = socket.getOutputStream();
			out.write("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < 40; i++) { // a slow drip that would take 4 s
				out.write('x');
				out.flush();
				sleep(100);
			}
		});
		long start = System.nanoTime();
		assertFails(send(url(), Duration.ofMillis(300)), NatErrorKind.NO_RESPONSE);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void refusesAnEndlessBody() throws Exception {
		serve((socket) -> {
			OutputStream out = socket.getOutputStream();
			out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[8192];
			for (int i = 0; i < 1000; i++) {
				out.write(chunk);
			}
		});
		assertFails(send(url(), Duration.ofSeconds(5)), NatErrorKind.MALFORMED_RESPONSE);
	}

	@Test
	void reportsARefusedConnectionAsNoResponse() throws Exception {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}
		assertFails(send(URI.create("http://127.0.0.1:" + closedPort + "/"), Duration.ofSeconds(2)), NatErrorKind.NO_RESPONSE);
	}

	@Test
	void onlyTalksPlainHttpToAnAddress() {
		assertFails(send(URI.create("https://127.0.0.1/"), Duration.ofSeconds(1)), NatErrorKind.PROTOCOL_ERROR);
		assertFails(send(URI.create("http://router.example/"), Duration.ofSeconds(1)), NatErrorKind.PROTOCOL_ERROR);
	}

	private CompletableFuture<LoopHttpClient.Answer> send(URI url, Duration timeout) {
		return this.client.send("POST", url, Map.of("SOAPAction", "\"x#y\""), "<x/>".getBytes(StandardCharsets.UTF_8),
				64 * 1024, timeout);
	}

	private URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getLocalPort() + "/");
	}

	private void serve(SocketTask task) throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		Thread thread = new Thread(() -> {
			try (Socket socket = this.server.accept()) {
				task.run(socket);
			}
			catch (IOException ex) {
				// the client gave up: expected in several tests
			}
		});
		thread.setDaemon(true);
		thread.start();
	}

	private static void assertFails(CompletableFuture<?> future, NatErrorKind kind) {
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(future::get)
			.havingCause()
			.isInstanceOfSatisfying(NatException.class, (failure) -> assertThat(failure.kind()).isEqualTo(kind));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	interface SocketTask {

		void run(Socket socket) throws IOException;

	}

}
