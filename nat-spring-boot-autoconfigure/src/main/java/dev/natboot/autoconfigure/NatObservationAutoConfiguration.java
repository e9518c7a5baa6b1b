package dev.natboot.autoconfigure;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.observation.MappingOperationObservationConvention;
import dev.natboot.spring.observation.MappingOperationObservations;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Micrometer Observations for the engine's exchanges with the router: with them, the
 * {@code nat.mapping.operations} timer comes from the observations, and tracing gets a span per exchange.
 */
@AutoConfiguration(after = NatAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, MappingEngine.class })
public final class NatObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MappingOperationObservations natMappingOperationObservations(ObservationRegistry observationRegistry,
			ObjectProvider<MappingOperationObservationConvention> convention) {
		return new MappingOperationObservations(observationRegistry, convention.getIfAvailable());
	}

}
