package dev.natboot.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port prediction (the birthday approach, {@code PortPrediction}) between a LAN host behind a plain NAT (one
 * public port per local port, letting in only whom it sent to) and one behind a symmetric NAT ({@code masquerade
 * random}: a random port for each destination), no router that maps: the pair that ICE relays, since no check
 * can find the symmetric side's port. Each try is a new pair of processes, as a new connection would be.
 */
class PortPredictionLabTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern ENDPOINT = Pattern.compile("^endpoint=\\S+ local=\\d+$");

	private static final Pattern PREDICTED = Pattern.compile("^predicted in (\\d+) ms rtt=(\\d+) us remote=\\S+$");

	private static final Pattern NOT_PREDICTED = Pattern.compile("^not predicted: (.*)$");

	@BeforeAll
	static void requireLab() {
		Lab.requireLab();
	}

	@Test
	void behindAPlainAndASymmetricNatTheProbesFindADirectPathEveryTry() throws Exception {
		List<String> times = new ArrayList<>();
		try (Lab lab = Lab.up("none", "--stun", "--site2", "none", "--nat2", "random")) {
			for (int attempt = 0; attempt < 5; attempt++) {
				try (IcePeer easy = driver(lab, "lan", "easy", "easy", "2048", "2000");
						IcePeer hard = driver(lab, "lan2", "hard", "hard", "256")) {
					exchangeEndpoints(easy, hard);
					Matcher ours = easy.await(PREDICTED, TIMEOUT);
					hard.await(PREDICTED, TIMEOUT);
					times.add(ours.group(1));
					easy.await(Pattern.compile("^< hello from hard$"), TIMEOUT);
					hard.await(Pattern.compile("^< hello from easy$"), TIMEOUT);
				}
			}
		}
		System.out.println("Port prediction, plain / random: 5 of 5 in " + times + " ms");
		assertThat(times).hasSize(5);
	}

	/** Two symmetric NATs: the easy side's one port is no help either, and both give up at the timeout. */
	@Test
	void behindTwoSymmetricNatsPredictionGivesUpInTime() throws Exception {
		try (Lab lab = Lab.up("none", "--stun", "--nat", "random", "--site2", "none", "--nat2", "random");
				IcePeer easy = driver(lab, "lan", "easy", "easy", "2048", "2000");
				IcePeer hard = driver(lab, "lan2", "hard", "hard", "256")) {
			exchangeEndpoints(easy, hard);
			assertThat(easy.await(NOT_PREDICTED, TIMEOUT).group(1)).contains("within 5000 ms");
			assertThat(hard.await(NOT_PREDICTED, TIMEOUT).group(1)).contains("within 5000 ms");
		}
	}

	private static void exchangeEndpoints(IcePeer easy, IcePeer hard) throws Exception {
		String first = easy.await(ENDPOINT, TIMEOUT).group();
		String second = hard.await(ENDPOINT, TIMEOUT).group();
		easy.type(second + "\n");
		hard.type(first + "\n");
	}

	private static IcePeer driver(Lab lab, String host, String name, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(
				java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				Lab.testClasspath(), "dev.natboot.lab.driver.PortPredictionDriver", Lab.STUN, name));
		command.addAll(List.of(arguments));
		return IcePeer.start("predict@" + host, lab.namespace(host), command);
	}

}
