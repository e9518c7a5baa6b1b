package dev.natboot.autoconfigure;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.relay.Relay;
import dev.natboot.spring.metrics.NatMetrics;
import dev.natboot.spring.metrics.NatReachabilityMetrics;
import dev.natboot.spring.observation.MappingOperationObservations;
import dev.natboot.spring.relay.NatRelayMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for the mapping engine's Micrometer meters. Ordered after the registries exist, as
 * Spring Boot's own binders are; {@code management.metrics.enable.nat=false} turns the meters off.
 */
@AutoConfiguration(after = { NatAutoConfiguration.class, NatRelayAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, MappingEngine.class })
public final class NatMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatMetrics natMetrics(MappingEngine natMappingEngine,
			ObjectProvider<MappingOperationObservations> natMappingOperationObservations) {
		// With observations, the operations timer is theirs: one source per meter name.
		return new NatMetrics(natMappingEngine, natMappingOperationObservations.getIfAvailable() == null);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ReachabilityMonitor.class)
	NatReachabilityMetrics natReachabilityMetrics(MappingEngine natMappingEngine,
			ReachabilityMonitor natReachabilityMonitor) {
		return new NatReachabilityMetrics(natMappingEngine, natReachabilityMonitor);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Relay.class)
	@ConditionalOnBean(Relay.class)
	static class RelayMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NatRelayMetrics natRelayMetrics(Relay natRelay) {
			return new NatRelayMetrics(natRelay);
		}

	}

}
