package dev.natboot.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.natboot.core.NatMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The command line and the output; netcheck itself runs in the lab (NetcheckLabTests), never here. */
class NetcheckOptionsTests {

	@Test
	void readsEveryOption() {
		NetcheckOptions options = NetcheckOptions.parse(new String[] { "--json", "--mode", "pcp", "--gateway",
				"192.0.2.1", "--stun", "11.22.33.2", "--turn", "turn:11.22.33.2?transport=tcp", "--turn-user", "u",
				"--turn-password", "p", "--port", "8081" });
		assertThat(options.json()).isTrue();
		assertThat(options.mode()).isEqualTo(NatMode.of("pcp"));
		assertThat(options.gateway().getHostAddress()).isEqualTo("192.0.2.1");
		assertThat(options.stun().port()).isEqualTo(3478);
		assertThat(options.turn().uri()).isEqualTo("turn:11.22.33.2:3478?transport=tcp");
		assertThat(options.turnCredentials().toString()).doesNotContain("p]");
		assertThat(options.port()).isEqualTo(8081);
	}

	@Test
	void refusesWhatItCannotUse() {
		assertThatIllegalArgumentException().isThrownBy(() -> NetcheckOptions.parse(new String[] { "--turn", "turn:h" }))
			.withMessageContaining("--turn-user");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetcheckOptions.parse(new String[] { "--turn-user", "u", "--turn-password", "p" }));
		assertThatIllegalArgumentException().isThrownBy(() -> NetcheckOptions.parse(new String[] { "--port", "70000" }));
		assertThatIllegalArgumentException().isThrownBy(() -> NetcheckOptions.parse(new String[] { "--gateway", "router" }));
		assertThatIllegalArgumentException().isThrownBy(() -> NetcheckOptions.parse(new String[] { "--mode", "bogus" }))
			.withMessageContaining("--mode");
		assertThatIllegalArgumentException().isThrownBy(() -> NetcheckOptions.parse(new String[] { "--what" }));
	}

	@Test
	void aBadCommandLineIsUsageAndExitCode64() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
		assertThat(NatbootCli.run(new String[] { "netcheck", "--port", "x" }, System.out, errors)).isEqualTo(64);
		assertThat(NatbootCli.run(new String[] { "frobnicate" }, System.out, errors)).isEqualTo(64);
		assertThat(NatbootCli.run(new String[0], System.out, errors)).isEqualTo(64);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: java -jar natboot-cli.jar netcheck");
	}

	@Test
	void writesJsonThatEscapesWhatItQuotes() {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("a", "say \"hi\"\n\u0001");
		document.put("b", List.of(1, true));
		document.put("c", null);
		assertThat(Json.write(document)).isEqualTo("{\"a\":\"say \\\"hi\\\"\\n\\u0001\",\"b\":[1,true],\"c\":null}");
	}

	@Test
	void reportsAsTextAndJsonWithTheVerdict() {
		NetcheckReport report = new NetcheckReport();
		report.gateway = "192.0.2.1";
		report.probes.add(new NetcheckReport.Probe("PCP", true, 12.3, null, "epoch 5 s"));
		report.probes.add(new NetcheckReport.Probe("UPnP", false, 1500, null, "no answer"));
		report.verdict = "the router maps ports";
		report.exitCode = NetcheckReport.REACHABLE;
		assertThat(report.toText()).contains("PCP:              answers (12.3 ms), epoch 5 s",
				"UPnP:             no (no answer)", "verdict:          the router maps ports");
		assertThat(report.toJson()).contains("\"protocol\":\"PCP\",\"answered\":true,\"millis\":12.3",
				"\"verdict\":\"the router maps ports\"", "\"exitCode\":0");
	}

}
