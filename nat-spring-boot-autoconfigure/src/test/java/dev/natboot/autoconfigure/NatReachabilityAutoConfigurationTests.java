package dev.natboot.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.core.reachability.TurnReachabilityProbe;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnServer;
import dev.natboot.spring.NatReachabilityLifecycle;
import dev.natboot.spring.metrics.NatReachabilityMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks from outside: present only with TURN servers, validated at binding, replaceable, inert when the
 * engine maps nothing. No test here talks to a TURN server (the mode maps nothing on loopback); the lab's
 * ReachabilityLabTests do, against coturn.
 */
class NatReachabilityAutoConfigurationTests {

	private static final String[] TURN = { "nat.turn.servers=turn:127.0.0.1:9", "nat.turn.username=natboot",
			"nat.turn.password=s3cret" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, NatMetricsAutoConfiguration.class))
		.withPropertyValues("nat.mode=pcp:127.0.0.1:9");

	@Test
	void withoutTurnServersNothingChecksFromOutside() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ReachabilityMonitor.class)
			.doesNotHaveBean(NatReachabilityLifecycle.class));
	}

	@Test
	void turnServersInEitherFormBringTheChecks() {
		this.contextRunner.withPropertyValues(TURN)
			.run((context) -> assertThat(context).hasSingleBean(ReachabilityMonitor.class)
				.hasSingleBean(NatReachabilityLifecycle.class));
		this.contextRunner
			.withPropertyValues("nat.turn.servers[0]=turn:127.0.0.1:9?transport=tcp", "nat.turn.username=natboot",
					"nat.turn.password=s3cret")
			.run((context) -> assertThat(context).hasSingleBean(ReachabilityMonitor.class));
	}

	@Test
	void missingCredentialsFailStartupNamingThePropertiesAndNeverTheSecret() {
		this.contextRunner.withPropertyValues("nat.turn.servers=turn:127.0.0.1:9")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("nat.turn.username")
				.hasMessageContaining("nat.turn.password"));
		this.contextRunner.withPropertyValues("nat.turn.servers=turn:127.0.0.1:9", "nat.turn.password=s3cret")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.turn.username")
				.hasMessageNotContaining("s3cret"));
	}

	@Test
	void badUrisAndIntervalsFailStartupWithTheProperty() {
		this.contextRunner.withPropertyValues(TURN)
			.withPropertyValues("nat.turn.servers=turn:127.0.0.1:9,stun:127.0.0.1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.turn.servers[1]")
				.hasMessageContaining("is not a TURN URI"));
		this.contextRunner.withPropertyValues(TURN)
			.withPropertyValues("nat.reachability.check-interval=1s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.reachability.check-interval")
				.hasMessageContaining("at least 10s"));
		this.contextRunner.withPropertyValues(TURN)
			.withPropertyValues("nat.reachability.timeout=0s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.reachability.timeout"));
	}

	@Test
	void onlyUdpMappingsAnswerProbes() {
		this.contextRunner.withPropertyValues(TURN)
			.withPropertyValues("nat.mappings.web2.internal-port=8081", "nat.mappings.web2.answers-probes=true")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.mappings[web2].answers-probes")
				.hasMessageContaining("Only UDP mappings answer probes"));
		this.contextRunner.withPropertyValues(TURN)
			.withPropertyValues("nat.mappings.game.internal-port=27015", "nat.mappings.game.protocol=udp",
					"nat.mappings.game.answers-probes=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aUserDefinedMonitorReplacesNatboots() {
		this.contextRunner.withPropertyValues(TURN)
			.withUserConfiguration(UserMonitor.class)
			.run((context) -> assertThat(context).hasSingleBean(ReachabilityMonitor.class)
				.hasBean("userMonitor")
				.hasSingleBean(NatReachabilityLifecycle.class));
	}

	@Test
	void anEngineThatMapsNothingStartsNoCheckingThread() {
		// Skipped in tests, as by default: the engine is inert, and so are the checks.
		this.contextRunner.withPropertyValues(TURN).run((context) -> {
			assertThat(context).hasSingleBean(ReachabilityMonitor.class);
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().equals("nat-reachability"));
		});
	}

	@Test
	void theReachabilityMetersComeWithTheChecks() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(NatReachabilityMetrics.class));
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues(TURN)
			.run((context) -> assertThat(context).hasSingleBean(NatReachabilityMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserMonitor {

		@Bean
		ReachabilityMonitor userMonitor(MappingEngine engine) {
			return new ReachabilityMonitor(engine,
					new TurnReachabilityProbe(List.of(TurnServer.parse("turn:127.0.0.1:9")),
							TurnCredentials.of("user", "password"), Duration.ofSeconds(1)),
					Duration.ofMinutes(1), (mapping) -> false, Clock.systemUTC());
		}

	}

}
