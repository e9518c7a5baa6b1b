package dev.natboot.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nat-core's ICE message layer against an agent no one here wrote: Python's aioice (Debian's python3-aioice), on
 * the lab's LAN host, natboot in both roles. Each side reads the other's description in RFC 8839's lines; natboot
 * checks (and, controlling, nominates) with the credentials and attributes of its message layer (IceCheckDriver),
 * aioice answers and checks back (and, controlling, nominates); aioice connects and sends a datagram over the
 * selected pair, natboot echoes it. This proves the
 * formats, the short-term credentials and the check attributes interoperate; the agent itself is issue 19's.
 */
class IceInteropLabTests {

	private static final String PYTHON = "/usr/bin/python3";

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@ParameterizedTest(name = "natboot {0}")
	@ValueSource(strings = { "controlling", "controlled" })
	void aioiceConnectsThroughChecksSignedWithNatbootsCredentialsAndCarriesData(String role) throws Exception {
		boolean natbootControls = role.equals("controlling");
		try (Lab lab = Lab.up("none")) {
			Process natboot = start(lab, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					Lab.testClasspath(), "dev.natboot.lab.driver.IceCheckDriver", Lab.LAN_HOST, role));
			Process aioice = start(lab, List.of(PYTHON, "-c",
					AIOICE.replace("CONTROLLING", natbootControls ? "False" : "True")));
			try {
				BufferedReader natbootOut = reader(natboot);
				BufferedReader aioiceOut = reader(aioice);
				List<String> natbootLines = new ArrayList<>();
				List<String> aioiceLines = new ArrayList<>();
				String natbootDescription = description(natbootOut, natbootLines);
				String aioiceDescription = description(aioiceOut, aioiceLines);
				send(aioice, natbootDescription);
				send(natboot, aioiceDescription);
				CompletableFuture<Void> natbootDone = CompletableFuture.runAsync(() -> drain(natbootOut, natbootLines));
				CompletableFuture<Void> aioiceDone = CompletableFuture.runAsync(() -> drain(aioiceOut, aioiceLines));
				aioiceDone.get(30, TimeUnit.SECONDS);
				natbootDone.get(30, TimeUnit.SECONDS);
				String natbootLog = String.join("\n", natbootLines);
				String aioiceLog = String.join("\n", aioiceLines);
				System.out.println("natboot:\n" + natbootLog + "\naioice:\n" + aioiceLog);
				// aioice read natboot's candidate line as natboot wrote it
				assertThat(aioiceLog).containsPattern("parsed host " + Lab.LAN_HOST.replace(".", "\\.") + " \\d+ 2130706431 \\d+");
				// natboot read aioice's lines, checks signed with aioice's password were answered with integrity
				assertThat(natbootLog).containsPattern("peer-candidates=[1-9]");
				assertThat(natbootLog).contains("integrity=VALID mapped=/" + Lab.LAN_HOST);
				// aioice's checks carried natboot's credentials the way natboot's message layer checks them
				assertThat(natbootLog).contains("peer-check from=/" + Lab.LAN_HOST)
					.contains("integrity=VALID username-right=true role=" + (natbootControls ? "controlled" : "controlling")
							+ " priority=true")
					.doesNotContain("integrity=INVALID");
				if (!natbootControls) {
					assertThat(natbootLog).as("aioice, controlling, nominated a pair").contains("nominates=true");
				}
				assertThat(aioiceLog).contains("connected");
				assertThat(natbootLog).contains("data=hello from aioice");
				assertThat(aioiceLog).contains("received echo:hello from aioice");
			}
			finally {
				natboot.destroyForcibly();
				aioice.destroyForcibly();
			}
		}
	}

	private static Process start(Lab lab, List<String> command) throws Exception {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace("lan")));
		full.addAll(command);
		return new ProcessBuilder(full).redirectErrorStream(true).start();
	}

	private static BufferedReader reader(Process process) {
		return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	/** The description a side prints first, up to its end of candidates, within 20 s. */
	private static String description(BufferedReader out, List<String> log) throws Exception {
		return CompletableFuture.supplyAsync(() -> {
			StringBuilder text = new StringBuilder();
			try {
				for (String line = out.readLine(); line != null; line = out.readLine()) {
					log.add(line);
					if (line.startsWith("a=")) {
						text.append(line).append('\n');
					}
					if (line.equals("a=end-of-candidates")) {
						return text.toString();
					}
				}
			}
			catch (java.io.IOException ex) {
				throw new UncheckedIOException(ex);
			}
			throw new AssertionError("ended before its description: " + String.join("\n", log));
		}).get(20, TimeUnit.SECONDS);
	}

	private static void send(Process process, String description) throws Exception {
		OutputStream in = process.getOutputStream();
		in.write(description.getBytes(StandardCharsets.UTF_8));
		in.flush();
	}

	private static void drain(BufferedReader out, List<String> log) {
		try {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				log.add(line);
			}
		}
		catch (java.io.IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** aioice, IPv4, in the role natboot is not: prints its description, reads natboot's, connects, sends. */
	private static final String AIOICE = """
			import asyncio, sys
			from aioice import Candidate, Connection
			async def main():
			    conn = Connection(ice_controlling=CONTROLLING, use_ipv6=False)
			    await conn.gather_candidates()
			    print('a=ice-ufrag:' + conn.local_username)
			    print('a=ice-pwd:' + conn.local_password)
			    for candidate in conn.local_candidates:
			        print('a=candidate:' + candidate.to_sdp())
			    print('a=end-of-candidates', flush=True)
			    loop = asyncio.get_running_loop()
			    lines = []
			    while True:
			        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
			        if not line:
			            raise SystemExit('no description from natboot')
			        lines.append(line)
			        if line == 'a=end-of-candidates':
			            break
			    for line in lines:
			        if line.startswith('a=ice-ufrag:'):
			            conn.remote_username = line[len('a=ice-ufrag:'):]
			        elif line.startswith('a=ice-pwd:'):
			            conn.remote_password = line[len('a=ice-pwd:'):]
			        elif line.startswith('a=candidate:'):
			            candidate = Candidate.from_sdp(line[len('a=candidate:'):])
			            print('parsed', candidate.type, candidate.host, candidate.port, candidate.priority,
			                  candidate.foundation, flush=True)
			            await conn.add_remote_candidate(candidate)
			    await conn.add_remote_candidate(None)
			    await asyncio.wait_for(conn.connect(), 10)
			    print('connected', flush=True)
			    await conn.send(b'hello from aioice')
			    data = await asyncio.wait_for(conn.recv(), 5)
			    print('received ' + data.decode(), flush=True)
			    await conn.close()
			asyncio.run(main())
			""";

}
