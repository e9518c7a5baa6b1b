package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay healing after OpenSSH's sshd is killed with its sessions and started again, timed, and a stop that the
 * vanished server does not hold up. Alone on the machine: the figure is a time.
 */
@Isolated("timed: healed within 2 s of the server being back")
class RelayHealingLabTests {

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void anSshdRestartIsHealedWithinTwoSecondsOfTheServerBeingBack() throws Exception {
		try (Lab lab = Lab.up("all", "--wan", "cgnat", "--peer")) {
			lab.ssh("start");
			try (SampleApp app = SampleApp.start(lab, RelayLabTests.relay(lab, "100.64.0.2", "--nat.relay.ssh.remote-port=40080"))) {
				app.awaitLog(RelayLabTests.THROUGH_RELAY, Duration.ofSeconds(60));
				RelayLabTests.awaitFrom(lab, "peer", "http://100.64.0.2:40080/", "Hello");
				lab.ssh("kill");
				app.awaitLog(Pattern.compile("Relay ssh://root@100\\.64\\.0\\.2:22 is down \\(CONNECTION_LOST\\)"),
						Duration.ofSeconds(10));
				Thread.sleep(3000); // down for a while: several reconnects fail
				lab.ssh("start");
				long back = System.nanoTime();
				String answer = RelayLabTests.awaitFrom(lab, "peer", "http://100.64.0.2:40080/", "Hello");
				long healed = Duration.ofNanos(System.nanoTime() - back).toMillis();
				System.out.printf("sshd restarted: relayed requests answered again %d ms after sshd listened%n", healed);
				assertThat(answer).contains("Hello");
				assertThat(healed).isLessThan(2000);
				assertThat(lab.getFromApp("/actuator/nat").output()).contains("\"reconnects\":1");
				// One warning for the outage, however many reconnects failed.
				assertThat(Pattern.compile("WARN.*Relay ssh://root@100\\.64\\.0\\.2:22 is down").matcher(app.log()).results()
					.count()).isOne();
				// The server vanishes without a word (packets dropped): the stop is still bounded.
				lab.exec("inet", "nft", "add", "table", "inet", "blackhole");
				lab.exec("inet", "nft", "add", "chain", "inet", "blackhole", "input",
						"{ type filter hook input priority 0; policy drop; }");
				Duration stopped = app.stop(Duration.ofSeconds(10));
				System.out.println("app stopped in " + stopped.toMillis() + " ms with the relay server vanished");
				assertThat(stopped).isLessThan(Duration.ofSeconds(6));
			}
		}
	}

}
