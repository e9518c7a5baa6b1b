package dev.natboot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatMode;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.spring.endpoint.NatEndpoint;
import dev.natboot.spring.health.NatHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context with natboot processed ahead of time, as {@code spring-boot:process-aot} does, then compiled and
 * started from the generated code alone: the engine, its listeners and the configured mappings work, the
 * properties are bound at run time, and the runtime hints natboot needs are there.
 */
class NatAotTests {

	private static final String[] PROPERTIES = { "nat.skip.in-tests=false", "nat.mode=extip:198.51.100.9",
			"nat.mappings.game.internal-port=27015", "nat.mappings.game.protocol=udp",
			"management.endpoints.web.exposure.include=nat,health" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, EndpointAutoConfiguration.class,
				NatEndpointAutoConfiguration.class, NatHealthContributorAutoConfiguration.class))
		.withUserConfiguration(ListenerConfiguration.class)
		.withPropertyValues(PROPERTIES);

	@Test
	@CompileWithForkedClassLoader
	void startsFromTheGeneratedCodeAndMaps() {
		this.contextRunner.prepare((context) -> {
			TestGenerationContext generationContext = new TestGenerationContext();
			ClassName className = new ApplicationContextAotGenerator()
				.processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext(), generationContext);
			generationContext.writeGeneratedContent();
			TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
				try (GenericApplicationContext started = new GenericApplicationContext()) {
					// At run time, as with -Dspring.aot.enabled=true: the mode is read now, not at build time.
					TestPropertyValues.of(PROPERTIES).and("nat.mode=extip:198.51.100.10").applyTo(started);
					@SuppressWarnings("unchecked")
					ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
						.getInstance(ApplicationContextInitializer.class, className.toString());
					initializer.initialize(started);
					started.refresh();
					MappingEngine engine = started.getBean(MappingEngine.class);
					assertThat(engine.mode()).isEqualTo(NatMode.of("extip:198.51.100.10"));
					await().atMost(Duration.ofSeconds(5))
						.until(() -> engine.mapping("game").map(Mapping::isActive).orElse(false));
					assertThat(started.getBean(RecordingListener.class).created).extracting(Mapping::name)
						.containsExactly("game");
					assertThat(started.getBeanNamesForType(NatEndpoint.class)).hasSize(1);
					assertThat(started.getBeanNamesForType(NatHealthIndicator.class)).hasSize(1);
				}
			});
		});
	}

	@Test
	void registersTheHintsNatbootNeeds() {
		this.contextRunner.prepare((context) -> {
			TestGenerationContext generationContext = new TestGenerationContext();
			new ApplicationContextAotGenerator()
				.processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext(), generationContext);
			RuntimeHints hints = generationContext.getRuntimeHints();
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NatMode.class, "of")).accepts(hints);
			// Binding of the properties, the endpoint's operations and what they return.
			assertThat(RuntimeHintsPredicates.reflection().onType(NatProperties.class)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onType(NatProperties.PortMapping.class)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NatEndpoint.class, "nat")).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onType(NatEndpoint.NatDescriptor.class)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onType(NatEndpoint.MappingDescriptor.class)).accepts(hints);
		});
	}

	@Test
	void natbootsRegistrarAloneCoversTheModesConversion() {
		RuntimeHints hints = new RuntimeHints();
		new NatRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NatMode.class, "of")).accepts(hints);
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		RecordingListener recordingListener() {
			return new RecordingListener();
		}

	}

	static class RecordingListener implements MappingListener {

		final List<Mapping> created = new CopyOnWriteArrayList<>();

		@Override
		public void mappingCreated(Mapping mapping) {
			this.created.add(mapping);
		}

	}

}
