package dev.natboot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.spring.observation.MappingOperationContext;
import dev.natboot.spring.observation.MappingOperationObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, NatAutoConfiguration.class,
				NatMetricsAutoConfiguration.class, NatObservationAutoConfiguration.class))
		.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.skip.in-tests=false");

	/**
	 * One observation per exchange, ended with the exchange; the timer of today's name comes from it, once: its
	 * {@code error} tag is the observation handler's.
	 */
	@Test
	void observesEachExchangeAndTimesItOnce() {
		RecordingHandler handler = new RecordingHandler();
		this.contextRunner.withBean(RecordingHandler.class, () -> handler).run((context) -> {
			assertThat(context).hasSingleBean(MappingOperationObservations.class);
			context.getBean(MappingEngine.class)
				.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
			await().atMost(Duration.ofSeconds(2)).until(() -> handler.stopped.size() == 1);
			MappingOperationContext observed = handler.stopped.get(0);
			assertThat(observed.getName()).isEqualTo("nat.mapping.operations");
			assertThat(observed.getContextualName()).isEqualTo("nat create server");
			assertThat(observed.getLowCardinalityKeyValue("operation").getValue()).isEqualTo("create");
			assertThat(observed.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
			assertThat(observed.getHighCardinalityKeyValue("nat.mapping.name").getValue()).isEqualTo("server");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("nat.mapping.operations").timers()).singleElement().satisfies((timer) -> {
				assertThat(timer.count()).isEqualTo(1);
				assertThat(timer.getId().getTag("outcome")).isEqualTo("success");
				assertThat(timer.getId().getTag("error")).isEqualTo("none");
			});
		});
	}

	@Test
	void withoutObservationsNatbootTimesTheExchangesItself() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(MappingOperationObservations.class);
		});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, NatAutoConfiguration.class,
					NatMetricsAutoConfiguration.class, NatObservationAutoConfiguration.class))
			.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.skip.in-tests=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(MappingOperationObservations.class);
				context.getBean(MappingEngine.class)
					.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(2)).until(() -> registry.find("nat.mapping.operations").timer() != null);
				assertThat(registry.get("nat.mapping.operations").timer().getId().getTag("error")).isNull();
			});
	}

	@Test
	void backsOffWhenNatIsDisabled() {
		this.contextRunner.withPropertyValues("nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MappingOperationObservations.class));
	}

	@Test
	void honoursBootsObservationSwitch() {
		RecordingHandler handler = new RecordingHandler();
		this.contextRunner.withBean(RecordingHandler.class, () -> handler)
			.withPropertyValues("management.observations.enable.nat=false")
			.run((context) -> {
				context.getBean(MappingEngine.class)
					.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"));
				await().atMost(Duration.ofSeconds(2))
					.until(() -> context.getBean(MappingEngine.class).mapping("server").orElseThrow().isActive());
				assertThat(handler.stopped).isEmpty();
			});
	}

	static class RecordingHandler implements ObservationHandler<MappingOperationContext> {

		final List<MappingOperationContext> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(MappingOperationContext context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof MappingOperationContext;
		}

	}

}
