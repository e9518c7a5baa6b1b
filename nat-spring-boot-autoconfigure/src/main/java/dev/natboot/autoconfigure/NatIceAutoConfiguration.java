package dev.natboot.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import dev.natboot.core.ice.IcePortMapper;
import dev.natboot.core.ice.MappingEnginePortMapper;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.spring.ice.IceAgentSettings;
import dev.natboot.spring.ice.IceAgents;

import dev.natboot.spring.ice.NatIceMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of {@link IceAgents}, for peer-to-peer connections: agents with the application's STUN and
 * TURN servers, {@code nat.ice.*}, and port-mapped candidates from the mapping engine when there is one.
 * Nothing runs until the application creates an agent.
 */
@AutoConfiguration(after = NatAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "nat.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "nat.ice.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ NatProperties.class, NatIceProperties.class })
public final class NatIceAutoConfiguration {

	/** How long gathering waits for the router to map an agent's socket. */
	private static final Duration PORT_MAPPING_WAIT = Duration.ofSeconds(2);

	// Lazy: an application that never creates an agent pays nothing at startup for it.
	@Bean
	@Lazy
	@ConditionalOnMissingBean
	IceAgents natIceAgents(NatIceProperties ice, NatProperties properties, ApplicationEventPublisher publisher,
			ObjectProvider<MappingEngine> natMappingEngine, ObjectProvider<IceAgents.Listener> listeners,
			Environment environment) {
		NatProperties.Turn turn = properties.getTurn();
		TurnCredentials credentials = (turn.getServers().isEmpty()) ? null
				: TurnCredentials.of(Objects.requireNonNull(turn.getUsername(), "validated"),
						Objects.requireNonNull(turn.getPassword(), "validated"));
		IceAgentSettings settings = new IceAgentSettings(NatPropertiesValidator.stunServers(properties),
				NatPropertiesValidator.turnServers(properties), credentials, ice.getLocalAddresses(), ice.getLocalPort(),
				ice.getPacing(), ice.getNominationDelay(), ice.getConsentInterval(), ice.getConsentTimeout(),
				ice.getCheckRateLimit(), ice.getConnectTimeout(), java.util.Set.copyOf(ice.getTransports()));
		MappingEngine engine = natMappingEngine.getIfAvailable();
		IcePortMapper portMapper = (ice.isPortMapping() && engine != null)
				? new MappingEnginePortMapper(engine, properties.getLease(), PORT_MAPPING_WAIT) : null;
		IceAgents agents = new IceAgents(settings, publisher, portMapper, EventThreads.forEnvironment(environment));
		listeners.orderedStream().forEach(agents::addListener);
		return agents;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class IceMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NatIceMetrics natIceMetrics(ObjectProvider<MeterRegistry> registry) {
			return new NatIceMetrics(registry::getIfAvailable);
		}

	}

}
