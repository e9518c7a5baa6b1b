package dev.natboot.autoconfigure;

import java.time.Duration;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.spring.metrics.NatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class,
				NatAutoConfiguration.class, NatMetricsAutoConfiguration.class))
		.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.skip.in-tests=false");

	@Test
	void bindsTheMetersToTheApplicationsRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(NatMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("nat.mappings").gauges()).hasSize(7);
			context.getBean(MappingEngine.class)
				.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
			await().atMost(Duration.ofSeconds(2))
				.until(() -> registry.find("nat.mapping.external.port").tag("mapping", "server").gauge() != null);
			assertThat(registry.get("nat.mapping.operations").tag("outcome", "success").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void honoursTheMetricsEnableProperty() {
		this.contextRunner.withPropertyValues("management.metrics.enable.nat=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("nat.mappings").gauges()).isEmpty();
		});
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(MappingEngine.class).doesNotHaveBean(NatMetrics.class));
	}

	@Test
	void backsOffWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, NatMetricsAutoConfiguration.class))
			.withPropertyValues("nat.mode=extip:198.51.100.9")
			.run((context) -> assertThat(context).doesNotHaveBean(NatMetrics.class));
	}

	@Test
	void backsOffWhenNatIsDisabled() {
		this.contextRunner.withPropertyValues("nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NatMetrics.class));
	}

	/** The application's own engine, with natboot otherwise off: its meters are there all the same. */
	@Test
	void bindsTheMetersOfAUserDefinedEngineAlsoWithNatDisabled() {
		this.contextRunner.withPropertyValues("nat.enabled=false")
			.withBean("myEngine", MappingEngine.class,
					() -> MappingEngine.builder().mode(dev.natboot.core.NatMode.of("extip:198.51.100.7")).build())
			.run((context) -> {
				assertThat(context).hasSingleBean(NatMetrics.class);
				assertThat(context.getBean(MeterRegistry.class).find("nat.mappings").gauges()).hasSize(7);
			});
	}

	@Test
	void backsOffFromAUserDefinedBinder() {
		this.contextRunner.withUserConfiguration(CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBeanNames(NatMetrics.class).containsExactly("customNatMetrics"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		@Bean
		NatMetrics customNatMetrics(MappingEngine engine) {
			return new NatMetrics(engine);
		}

	}

}
