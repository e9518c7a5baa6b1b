package dev.natboot.autoconfigure;

import dev.natboot.core.NatMode;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.health.NatHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class NatHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, NatHealthContributorAutoConfiguration.class))
		.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.skip.in-tests=false");

	@Test
	void providesTheIndicator() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(NatHealthIndicator.class);
			// No mapping asked for yet (no web server): unknown, never down.
			assertThat(context.getBean(NatHealthIndicator.class).health().getStatus()).isEqualTo(Status.UNKNOWN);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NatHealthIndicator.class));
		this.contextRunner.withPropertyValues("nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NatHealthIndicator.class));
	}

	/** The application's own engine, with natboot otherwise off: its health is reported all the same. */
	@Test
	void reportsTheHealthOfAUserDefinedEngineAlsoWithNatDisabled() {
		this.contextRunner.withPropertyValues("nat.enabled=false", "nat.health.unreachable-status=DOWN")
			.withBean("myEngine", MappingEngine.class, () -> MappingEngine.builder().mode(NatMode.NONE).build())
			.run((context) -> {
				assertThat(context).hasSingleBean(NatHealthIndicator.class);
				assertThat(context.getBean(NatHealthIndicator.class).health().getDetails()).containsEntry("mode", "none");
				assertThat(context.getBean(NatProperties.class).getHealth().getUnreachableStatus()).isEqualTo("DOWN");
			});
	}

	@Test
	void backsOffWithoutHealthSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean("natHealthIndicator"));
	}

	@Test
	void backsOffFromAUserDefinedIndicatorOfThatName() {
		this.contextRunner.withBean("natHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(NatHealthIndicator.class).hasBean("natHealthIndicator"));
	}

	@Test
	void bindsTheUnreachableStatus() {
		this.contextRunner.withPropertyValues("nat.health.unreachable-status=DOWN")
			.run((context) -> assertThat(context.getBean(NatProperties.class).getHealth().getUnreachableStatus())
				.isEqualTo("DOWN"));
	}

}
