package dev.natboot.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nat-core's TURN client against the real coturn on the lab's internet host (long-term credentials, realm
 * natlab), run in the LAN namespace behind the router's NAT: UDP relays with permissions, Send and Data
 * indications, channels and ChannelData to a UDP echo peer; TCP relays (RFC 6062) that connect to the router's
 * external address and carry an HTTP exchange with a server on the LAN host; and the server's refusals.
 */
class TurnLabTests {

	private static final String UDP_URI = "turn:11.22.33.2";

	private static final String TCP_URI = "turn:11.22.33.2?transport=tcp";

	/** The internet host's second address: a peer that is not the server's own listening address. */
	private static final String PEER = "11.22.33.3";


	private final List<Process> processes = new ArrayList<>();

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aUdpRelayCarriesDatagramsBothWaysInIndicationsAndOnAChannel() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			startUdpEcho(lab);
			String out = driver(lab, "udp", UDP_URI, "natlab", PEER, "7777");
			assertThat(out).contains("relayed=11.22.33.2:", "mapped=11.22.33.1", "lifetime=600",
					"sendEcho=11.22.33.3:7777/echo:via-send", "channel=4000",
					"channelEcho=11.22.33.3:7777/echo:via-channel", "refreshed=600", "closed=true");
		}
	}

	@Test
	void aUdpRelayOverTcpToTheServerWorksTheSame() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			startUdpEcho(lab);
			String out = driver(lab, "udp", TCP_URI, "natlab", PEER, "7777");
			assertThat(out).contains("sendEcho=11.22.33.3:7777/echo:via-send",
					"channelEcho=11.22.33.3:7777/echo:via-channel", "closed=true");
		}
	}

	@Test
	void aStaleNonceIsRenewedWithoutTheCallerNoticing() throws Exception {
		try (Lab lab = Lab.up("all")) {
			lab.stun("start", "--stale-nonce=1", "--verbose");
			startUdpEcho(lab);
			String out = driver(lab, "udp", UDP_URI, "natlab", PEER, "7777", "2500");
			assertThat(out).contains("sendEcho=11.22.33.3:7777/echo:via-send", "refreshed=600", "closed=true")
				.doesNotContain("Error");
			assertThat(Files.readString(Path.of("/run/natlab/" + lab.name + "/turnserver.log"))).contains("error 438: Stale nonce");
		}
	}

	@Test
	void aTcpRelayConnectsToTheRoutersForwardedPortAndCarriesHttp() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			startHttpServer(lab);
			assertThat(Lab.run(List.of(Lab.NATLAB.toString(), "forward", lab.name, "8080")).ok()).isTrue();
			String out = driver(lab, "tcp", TCP_URI, "natlab", Lab.ROUTER_WAN, "8080");
			assertThat(out).contains("relayed=11.22.33.2", "status=HTTP/1.0 200 OK", "body=natboot turn lab");
		}
	}

	/** A peer connects to the TCP relay's address: a ConnectionAttempt, accepted with a ConnectionBind. */
	@Test
	void aPeerThatConnectsToATcpRelayIsAcceptedThroughAConnectionAttempt() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			String classpath = Lab.testClasspath();
			Process relay = new ProcessBuilder("ip", "netns", "exec", lab.namespace("lan"),
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-cp",
					classpath, "dev.natboot.lab.driver.TurnDriver", "accept", TCP_URI, "natlab", PEER, "0")
				.redirectErrorStream(true)
				.start();
			this.processes.add(relay);
			java.io.BufferedReader lines = new java.io.BufferedReader(
					new java.io.InputStreamReader(relay.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
			String first = lines.readLine();
			assertThat(first).startsWith("relayedPort=");
			String port = first.substring("relayedPort=".length());
			// The peer: the internet host's second address, which has the permission.
			Lab.Result peer = lab.exec("inet", "python3", "-c", "import socket; s = socket.create_connection(('11.22.33.2', "
					+ port + "), 5, ('11.22.33.3', 0)); print(s.makefile().readline().strip()); s.sendall(b'hello relay\\n')");
			assertThat(peer.output()).contains("hello peer");
			StringBuilder out = new StringBuilder();
			for (String line; (line = lines.readLine()) != null;) {
				out.append(line).append('\n');
			}
			assertThat(out.toString()).contains("attemptFrom=11.22.33.3", "peerSaid=hello relay");
		}
	}

	@Test
	void aPortNobodyForwardsIsConnectionFailure447() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			String out = driver(lab, "tcp", TCP_URI, "natlab", Lab.ROUTER_WAN, "8081");
			assertThat(out).contains("turnError=447 kind=NETWORK_FAILURE");
		}
	}

	@Test
	void wrongCredentialsAre401AndTheMessageHoldsNoPassword() throws Exception {
		try (Lab lab = Lab.up("all", "--stun")) {
			String out = driver(lab, "udp", UDP_URI, "not-natlab", PEER, "7777");
			assertThat(out).contains("turnError=401 kind=NOT_AUTHORIZED").doesNotContain("not-natlab");
		}
	}

	@Test
	void aStoppedServerIsNoResponseWithinTheTimeout() throws Exception {
		try (Lab lab = Lab.up("all")) {
			long start = System.nanoTime();
			String out = driver(lab, "udp", UDP_URI, "natlab", PEER, "7777");
			assertThat(out).contains("natError=NO_RESPONSE", "ICMP port unreachable");
			assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
			out = driver(lab, "tcp", TCP_URI, "natlab", Lab.ROUTER_WAN, "8080");
			assertThat(out).contains("natError=NO_RESPONSE", "Cannot connect to the TURN server");
		}
	}

	/**
	 * {@code turns:}: TLS to coturn with a certificate for its address, made here: trusted (the JDK's trust
	 * store property), a TCP relay carries HTTP as over TCP; not trusted, the connection is refused before any
	 * credential is sent.
	 */
	@Test
	void overTlsTheServersCertificateIsCheckedAndARelayWorks(@org.junit.jupiter.api.io.TempDir Path dir)
			throws Exception {
		Path key = dir.resolve("key.pem");
		Path cert = dir.resolve("cert.pem");
		Path trust = dir.resolve("trust.p12");
		assertThat(Lab.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
				"-out", cert.toString(), "-days", "2", "-subj", "/CN=natlab-turn", "-addext",
				"subjectAltName=IP:11.22.33.2")).ok()).isTrue();
		assertThat(Lab.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert",
				"-noprompt", "-alias", "turn", "-file", cert.toString(), "-keystore", trust.toString(), "-storetype",
				"PKCS12", "-storepass", "changeit")).ok()).isTrue();
		try (Lab lab = Lab.up("all")) {
			Lab.Result started = Lab.run(List.of("env", "NATLAB_TURN_CERT=" + cert, "NATLAB_TURN_KEY=" + key,
					Lab.NATLAB.toString(), "stun", lab.name, "start"));
			assertThat(started.exitCode()).as(started.output()).isZero();
			startHttpServer(lab);
			assertThat(Lab.run(List.of(Lab.NATLAB.toString(), "forward", lab.name, "8080")).ok()).isTrue();
			String trusted = driver(lab, List.of("-Djavax.net.ssl.trustStore=" + trust,
					"-Djavax.net.ssl.trustStorePassword=changeit"), "tcp", "turns:11.22.33.2", "natlab", Lab.ROUTER_WAN,
					"8080");
			assertThat(trusted).contains("status=HTTP/1.0 200 OK", "body=natboot turn lab");
			String untrusted = driver(lab, "tcp", "turns:11.22.33.2", "natlab", Lab.ROUTER_WAN, "8080");
			assertThat(untrusted).contains("natError=IO_ERROR", "TLS to the TURN server", "certification path");
		}
	}

	private String driver(Lab lab, String... args) throws IOException {
		return driver(lab, List.of(), args);
	}

	private String driver(Lab lab, List<String> jvmOptions, String... args) throws IOException {
		String classpath = Lab.testClasspath();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", classpath, "dev.natboot.lab.driver.TurnDriver"));
		command.addAll(List.of(args));
		Lab.Result result = lab.exec("lan", command.toArray(String[]::new));
		return result.output();
	}

	private void startUdpEcho(Lab lab) throws IOException, InterruptedException {
		start(lab, "inet", "python3", "-c", """
				import socket, sys
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('11.22.33.3', 7777))
				while True:
				    d, a = s.recvfrom(65535); s.sendto(b'echo:' + d, a)
				""");
		awaitListening(lab, "inet", "-lun", "11.22.33.3:7777");
	}

	private void startHttpServer(Lab lab) throws IOException, InterruptedException {
		start(lab, "lan", "python3", "-c", """
				import http.server
				class H(http.server.BaseHTTPRequestHandler):
				    def do_GET(self):
				        self.send_response(200); self.end_headers(); self.wfile.write(b'natboot turn lab')
				http.server.HTTPServer(('192.0.2.10', 8080), H).serve_forever()
				""");
		awaitListening(lab, "lan", "-ltn", "192.0.2.10:8080");
	}

	private void start(Lab lab, String host, String... command) throws IOException {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace(host)));
		full.addAll(List.of(command));
		this.processes.add(new ProcessBuilder(full).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start());
	}

	private static void awaitListening(Lab lab, String host, String ssOptions, String address)
			throws InterruptedException {
		for (int i = 0; i < 100; i++) {
			if (lab.exec(host, "ss", ssOptions).output().contains(address)) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("Nothing listens on " + address + " on " + host);
	}

}
