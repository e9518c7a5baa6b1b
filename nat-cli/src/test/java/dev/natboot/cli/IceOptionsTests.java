package dev.natboot.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.natboot.core.Transport;
import dev.natboot.core.ice.IceRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IceOptionsTests {

	@Test
	void defaultsAreControllingEveryAddressAnyPortThirtySeconds() {
		IceOptions options = IceOptions.parse(new String[0]);
		assertThat(options.role()).isEqualTo(IceRole.CONTROLLING);
		assertThat(options.stun()).isEmpty();
		assertThat(options.addresses()).isEmpty();
		assertThat(options.port()).isZero();
		assertThat(options.map()).isFalse();
		assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.turn()).isNull();
		assertThat(options.transports()).containsExactly(Transport.UDP);
	}

	@Test
	void tcpAddsIceTcpCandidatesAndTcpOnlyLeavesUdpOut() {
		assertThat(IceOptions.parse(new String[] { "--tcp" }).transports()).containsExactlyInAnyOrder(Transport.UDP,
				Transport.TCP);
		assertThat(IceOptions.parse(new String[] { "--tcp-only" }).transports()).containsExactly(Transport.TCP);
	}

	@Test
	void readsEveryOption() throws Exception {
		IceOptions options = IceOptions.parse(new String[] { "--controlled", "--stun", "192.0.2.1:3479", "--address",
				"192.0.2.10", "--port", "5000", "--map", "--timeout", "12", "--echo", "--turn", "turn:192.0.2.1",
				"--turn-user", "u", "--turn-password", "p" });
		assertThat(options.role()).isEqualTo(IceRole.CONTROLLED);
		assertThat(options.stun()).extracting(Object::toString).containsExactly("192.0.2.1:3479");
		assertThat(options.addresses()).containsExactly(InetAddress.getByName("192.0.2.10"));
		assertThat(options.port()).isEqualTo(5000);
		assertThat(options.map()).isTrue();
		assertThat(options.echo()).isTrue();
		assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(12));
		assertThat(options.turn()).isNotNull();
		assertThat(String.valueOf(options.turnCredentials())).doesNotContain("p\"").doesNotContain("=p");
	}

	@Test
	void refusesWhatItCannotUseNamingTheOption() {
		assertThatIllegalArgumentException().isThrownBy(() -> IceOptions.parse(new String[] { "--port", "70000" }))
			.withMessageContaining("--port");
		assertThatIllegalArgumentException().isThrownBy(() -> IceOptions.parse(new String[] { "--address", "host.lan" }))
			.withMessageContaining("--address");
		assertThatIllegalArgumentException().isThrownBy(() -> IceOptions.parse(new String[] { "--turn", "turn:x" }))
			.withMessageContaining("--turn-user");
		assertThatIllegalArgumentException().isThrownBy(() -> IceOptions.parse(new String[] { "--bogus" }))
			.withMessageContaining("--bogus");
	}

	@Test
	void aBadCommandLineIsAUsageError() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = NatbootCli.run(new String[] { "ice", "--timeout", "0" }, new BufferedReader(new StringReader("")),
				new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(code).isEqualTo(NatbootCli.USAGE);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout").contains("natboot-cli.jar ice");
	}

}
