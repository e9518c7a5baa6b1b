package dev.natboot.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data through natboot's relay and OpenSSH's sshd, both ways at once on three connections from another internet
 * host: every byte arrives in order, the client's end of data (a half-close, which sshd passes on) reaches the
 * local server after all of the client's data, and the local server's close reaches the client after all of its.
 */
class RelayTransferLabTests {

	private static final int UPLOAD_BYTES = 16 * 1024 * 1024;

	private static final int DOWNLOAD_BYTES = 32 * 1024 * 1024 + 4321;

	private static final Pattern PEER_LINE = Pattern.compile(
			"sent=(\\d+) (\\p{XDigit}{64}) echoed=(\\p{XDigit}{64}) received=(\\d+) (\\p{XDigit}{64})");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void everyByteCrossesBothWaysAndEachEndOfDataFollowsItsData() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat", "--peer")) {
			lab.ssh("start");
			String classpath = Lab.testClasspath();
			Process driver = new ProcessBuilder("ip", "netns", "exec", lab.namespace("lan"),
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
					"dev.natboot.lab.driver.RelayDriver", "100.64.0.2", "root", lab.state().resolve("ssh/id_ecdsa").toString(),
					lab.state().resolve("ssh/known_hosts").toString(), "40090", Integer.toString(DOWNLOAD_BYTES))
				.redirectErrorStream(true)
				.start();
			try {
				BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
				String ready = CompletableFuture.supplyAsync(() -> readUntil(lines, "ready=")).get(60, TimeUnit.SECONDS);
				assertThat(ready).isEqualTo("ready=100.64.0.2:40090");
				Lab.Result peer = lab.exec("peer", "python3", "-c", PEER_SCRIPT.replace("PORT", "40090"));
				// The relay's proof of its forward connected and left at once: its answer met a closed connection
				// (a "failed=" line), which is not one of the three.
				List<String> driverLines = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					driverLines.add(CompletableFuture.supplyAsync(() -> readUntil(lines, "upload=")).get(30, TimeUnit.SECONDS));
				}
				System.out.println("peer:\n" + peer.output() + "relay's local server:\n" + String.join("\n", driverLines));
				Matcher result = PEER_LINE.matcher(peer.output());
				int connections = 0;
				while (result.find()) {
					connections++;
					assertThat(result.group(3)).as("what the local server received, by SHA-256").isEqualTo(result.group(2));
					assertThat(Integer.parseInt(result.group(4))).isEqualTo(DOWNLOAD_BYTES);
					assertThat(driverLines).contains("upload=" + result.group(1) + " " + result.group(2) + " download="
							+ result.group(5));
				}
				assertThat(connections).as(peer.output()).isEqualTo(3);
			}
			finally {
				driver.getOutputStream().close();
				if (!driver.waitFor(10, TimeUnit.SECONDS)) {
					driver.destroyForcibly();
				}
			}
		}
	}

	private static String readUntil(BufferedReader lines, String prefix) {
		try {
			for (String line; (line = lines.readLine()) != null;) {
				if (line.startsWith(prefix)) {
					return line;
				}
			}
			return "(the driver ended)";
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** Three connections at once: each sends its upload, half-closes, then reads the digest line and the download. */
	private static final String PEER_SCRIPT = """
			import hashlib, os, socket, threading
			results = [None] * 3
			def one(i):
			    s = socket.create_connection(('100.64.0.2', PORT), 10)
			    size = %d + i * 12345
			    sent = hashlib.sha256()
			    left = size
			    while left:
			        chunk = os.urandom(min(left, 65536))
			        s.sendall(chunk)
			        sent.update(chunk)
			        left -= len(chunk)
			    s.shutdown(socket.SHUT_WR)
			    f = s.makefile('rb')
			    echoed = f.readline().strip().decode()
			    received = hashlib.sha256()
			    total = 0
			    while True:
			        chunk = f.read(65536)
			        if not chunk:
			            break
			        received.update(chunk)
			        total += len(chunk)
			    results[i] = 'sent=%%d %%s echoed=%%s received=%%d %%s' %% (size, sent.hexdigest(), echoed, total, received.hexdigest())
			threads = [threading.Thread(target=one, args=(i,)) for i in range(3)]
			for t in threads:
			    t.start()
			for t in threads:
			    t.join()
			print('\\n'.join(str(r) for r in results))
			""".formatted(UPLOAD_BYTES);

}
