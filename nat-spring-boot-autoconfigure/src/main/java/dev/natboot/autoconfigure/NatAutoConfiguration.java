package dev.natboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingEngineBuilder;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.spring.NatMappingLifecycle;
import dev.natboot.spring.NatReachabilityLogger;
import dev.natboot.spring.TestEnvironment;
import dev.natboot.spring.WebServerPortMapper;
import dev.natboot.spring.event.NatEventPublisher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that maps the application's web server port on the
 * router, keeps it alive and releases it at shutdown.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "nat.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatProperties.class)
public final class NatAutoConfiguration {

	/** What health, the endpoint and the log say of an engine skipped in tests. */
	static final String SKIPPED_IN_TESTS = "skipped in tests (nat.skip.in-tests=true): nothing is sent, nothing is mapped";

	@Bean
	@ConditionalOnMissingBean
	MappingEngine natMappingEngine(NatProperties properties, ObjectProvider<MappingListener> listeners,
			Environment environment) {
		NatPropertiesValidator.validate(properties);
		boolean skipped = properties.getSkip().isInTests() && TestEnvironment.isRunningInTest();
		MappingEngineBuilder builder = MappingEngine.builder()
			.mode(properties.getMode())
			.inactive(skipped ? SKIPPED_IN_TESTS : null)
			.shutdownTimeout(properties.getShutdownTimeout())
			.verificationInterval(properties.getVerificationInterval())
			.retryBackoff(Duration.ofSeconds(1), properties.getMaxRetryInterval())
			.permanentMappingJournal(journal(properties, environment))
			.stunServers(NatPropertiesValidator.stunServers(properties))
			.stunTransport(properties.getStun().getTransport())
			.stunCheckInterval(properties.getStun().getCheckInterval())
			.stunBehaviorDiscovery(properties.getStun().isBehaviorDiscovery());
		listeners.orderedStream().forEach(builder::listener);
		// Nothing is sent from here: discovery starts with the lifecycle, once there is something to map.
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	NatEventPublisher natEventPublisher(ApplicationEventPublisher applicationEventPublisher,
			ObjectProvider<MappingEngine> natMappingEngine, NatProperties properties) {
		return new NatEventPublisher(applicationEventPublisher, natMappingEngine, properties.getShutdownTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	NatReachabilityLogger natReachabilityLogger() {
		return new NatReachabilityLogger();
	}

	@Bean
	@ConditionalOnMissingBean
	NatMappingLifecycle natMappingLifecycle(MappingEngine natMappingEngine, NatProperties properties) {
		return new NatMappingLifecycle(natMappingEngine, properties.getShutdownTimeout(), extraMappings(properties),
				!properties.getStun().getServers().isEmpty());
	}

	private static Path journal(NatProperties properties, Environment environment) {
		Path configured = properties.getPermanentMappingJournal();
		if (configured != null) {
			return configured;
		}
		String name = environment.getProperty("spring.application.name", "application").replaceAll("[^A-Za-z0-9._-]", "_");
		return Path.of(System.getProperty("user.home"), ".natboot", name);
	}

	private static List<MappingSpec> extraMappings(NatProperties properties) {
		List<MappingSpec> specs = new ArrayList<>();
		properties.getMappings().forEach((name, mapping) -> specs.add(new MappingSpec(name, mapping.getProtocol(),
				Objects.requireNonNull(mapping.getInternalPort()), mapping.getExternalPort(), properties.getLease(),
				(mapping.getDescription() != null) ? mapping.getDescription() : name)));
		return specs;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerInitializedEvent.class)
	@ConditionalOnWebApplication
	@ConditionalOnBooleanProperty(name = "nat.server.enabled", matchIfMissing = true)
	static class WebServerPortMappingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebServerPortMapper natWebServerPortMapper(MappingEngine natMappingEngine, NatProperties properties) {
			return new WebServerPortMapper(natMappingEngine, properties.getServer().getExternalPort(),
					properties.getLease(), properties.getServer().getDescription(),
					properties.getManagement().isEnabled() ? properties.getManagement().getExternalPort() : null);
		}

	}

}
