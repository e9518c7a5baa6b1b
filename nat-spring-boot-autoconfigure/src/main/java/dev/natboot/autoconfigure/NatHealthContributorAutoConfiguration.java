package dev.natboot.autoconfigure;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.RelayReport;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.spring.health.NatHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code nat} health indicator.
 */
@AutoConfiguration(after = NatAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(MappingEngine.class)
@ConditionalOnEnabledHealthIndicator("nat")
@EnableConfigurationProperties(NatProperties.class)
public final class NatHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "natHealthIndicator")
	NatHealthIndicator natHealthIndicator(MappingEngine natMappingEngine, NatProperties properties,
			ObjectProvider<ReachabilityMonitor> reachability, ObjectProvider<RelayReport> relay) {
		return new NatHealthIndicator(natMappingEngine, new Status(properties.getHealth().getUnreachableStatus()),
				reachability.getIfAvailable(), relay::getIfAvailable);
	}

}
