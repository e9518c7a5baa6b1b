package dev.natboot.autoconfigure;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.RelayReport;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.spring.endpoint.NatEndpoint;
import dev.natboot.spring.endpoint.NatEndpointWebExtension;
import dev.natboot.spring.ice.IceAgents;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code nat} actuator endpoint.
 */
@AutoConfiguration(after = NatAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(MappingEngine.class)
@ConditionalOnAvailableEndpoint(NatEndpoint.class)
public final class NatEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatEndpoint natEndpoint(MappingEngine natMappingEngine, ObjectProvider<ReachabilityMonitor> reachability,
			ObjectProvider<RelayReport> relay, ObjectProvider<IceAgents> ice) {
		return new NatEndpoint(natMappingEngine, reachability.getIfAvailable(), relay::getIfAvailable,
				() -> ice.stream().map(IceAgents::statistics).findFirst().orElse(null));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NatEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = NatEndpoint.class, exposure = EndpointExposure.WEB)
	NatEndpointWebExtension natEndpointWebExtension(NatEndpoint natEndpoint) {
		return new NatEndpointWebExtension(natEndpoint);
	}

}
