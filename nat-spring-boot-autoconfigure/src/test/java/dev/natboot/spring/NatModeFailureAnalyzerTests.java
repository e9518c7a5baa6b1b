package dev.natboot.spring;

import dev.natboot.autoconfigure.NatAutoConfiguration;
import dev.natboot.core.InvalidNatModeException;
import dev.natboot.core.NatMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@ExtendWith(OutputCaptureExtension.class)
class NatModeFailureAnalyzerTests {

	private static final String BAD_MODE_FILE = "class path resource [dev/natboot/spring/bad-mode.yml] - 2:9";

	@Test
	void explainsTheAcceptedForms() {
		InvalidNatModeException failure = catchThrowableOfType(InvalidNatModeException.class,
				() -> NatMode.of("pcp:router.local"));
		FailureAnalysis analysis = new NatModeFailureAnalyzer().analyze(new IllegalStateException("binding", failure));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid value 'pcp:router.local' for property 'nat.mode': gateway 'router.local' is not an IPv4 address[:port].");
		assertThat(analysis.getAction()).contains("any, pcp, pmp, upnp, pcp:GATEWAY, pmp:GATEWAY, upnp:GATEWAY, extip:ADDRESS, stun, stun:HOST[:PORT], none");
	}

	/** A real start with the bad value in a YAML file: the report names the file and the line, as Boot's do. */
	@Test
	void keepsWhereTheBadValueWasSetThroughRealBinding(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BindingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Throwable failure = catchThrowable(
				() -> application.run("--spring.config.location=classpath:dev/natboot/spring/bad-mode.yml"));
		FailureAnalysis analysis = new NatModeFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith(
				"Invalid value 'pcp:router.local' for property 'nat.mode': gateway 'router.local' is not an IPv4 address[:port].")
			.contains("Origin: " + BAD_MODE_FILE);
		// Registered in spring.factories: what a user sees when the application does not start.
		assertThat(output).contains("APPLICATION FAILED TO START", "Origin: " + BAD_MODE_FILE,
				"Set nat.mode to one of: any, pcp");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(NatAutoConfiguration.class)
	static class BindingApplication {

	}

}
