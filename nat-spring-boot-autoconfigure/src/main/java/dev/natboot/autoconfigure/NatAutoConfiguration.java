package dev.natboot.autoconfigure;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingEngineBuilder;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.reachability.ReachabilityListener;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.spring.MappingListenerAttacher;
import dev.natboot.spring.NatMappingLifecycle;
import dev.natboot.spring.NatModeConverter;
import dev.natboot.spring.NatReachabilityLifecycle;
import dev.natboot.spring.NatReachabilityLogger;
import dev.natboot.spring.WebServerPortMapper;
import dev.natboot.spring.event.NatEventPublisher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that maps the application's web server port on the router, keeps it alive and releases
 * it at shutdown. An application's own {@link MappingEngine} bean replaces natboot's, and gets the same
 * listeners, lifecycle and port mapping.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "nat.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatProperties.class)
@ImportRuntimeHints(NatRuntimeHints.class)
public final class NatAutoConfiguration {

	@Bean
	@ConfigurationPropertiesBinding
	static NatModeConverter natModeConverter() {
		return new NatModeConverter();
	}

	@Bean
	static MappingListenerAttacher natMappingListenerAttacher(ObjectProvider<MappingListener> listeners) {
		return new MappingListenerAttacher(listeners);
	}

	@Bean
	@ConditionalOnMissingBean
	MappingEngine natMappingEngine(NatProperties properties, Environment environment,
			ObjectProvider<MappingEngineBuilderCustomizer> customizers) {
		MappingEngineBuilder builder = NatEngineConfigurer.builder(properties, environment);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	NatEventPublisher natEventPublisher(ApplicationEventPublisher applicationEventPublisher,
			ObjectProvider<MappingEngine> natMappingEngine, NatProperties properties, Environment environment) {
		return new NatEventPublisher(applicationEventPublisher, natMappingEngine, properties.getShutdownTimeout(),
				EventThreads.forEnvironment(environment));
	}

	@Bean
	NatReachabilityLogger natReachabilityLogger(NatProperties properties, ObjectProvider<MappingEngine> natMappingEngine) {
		// Looked up when a mapping is created: the engine is built with this logger among its listeners.
		return new NatReachabilityLogger(!properties.getTurn().getServers().isEmpty(),
				(name) -> natMappingEngine.getObject().mapping(name));
	}

	@Bean
	NatMappingLifecycle natMappingLifecycle(MappingEngine natMappingEngine, NatProperties properties) {
		return new NatMappingLifecycle(natMappingEngine, properties.getShutdownTimeout(),
				NatEngineConfigurer.extraMappings(properties), !properties.getStun().getServers().isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnTurnServersCondition.class)
	static class ReachabilityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReachabilityMonitor natReachabilityMonitor(MappingEngine natMappingEngine, NatProperties properties) {
			return NatEngineConfigurer.reachabilityMonitor(natMappingEngine, properties);
		}

		@Bean
		NatReachabilityLifecycle natReachabilityLifecycle(ReachabilityMonitor natReachabilityMonitor,
				ObjectProvider<ReachabilityListener> listeners) {
			return new NatReachabilityLifecycle(natReachabilityMonitor, listeners);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerInitializedEvent.class)
	@ConditionalOnWebApplication
	@ConditionalOnBooleanProperty(name = "nat.server.enabled", matchIfMissing = true)
	static class WebServerPortMappingConfiguration {

		@Bean
		WebServerPortMapper natWebServerPortMapper(MappingEngine natMappingEngine, NatProperties properties,
				Environment environment) {
			// A server bound to an IPv4 address, or a JVM without IPv6 sockets, serves nothing a pinhole lets in.
			boolean ipv6 = properties.getServer().isIpv6()
					&& IpLiteral.parseIpv4(environment.getProperty("server.address", "")) == null
					&& !Boolean.getBoolean("java.net.preferIPv4Stack");
			// Behind a container bridge, the router forwards to the host's published port, and IPv6 is the host's.
			boolean inContainer = properties.getContainer().getHostAddress() != null
					&& !properties.getContainer().getHostAddress().isBlank();
			WebServerPortMapper mapper = new WebServerPortMapper(natMappingEngine, properties.getServer().isEnabled(),
					properties.getServer().getExternalPort(), properties.getLease(),
					properties.getServer().getDescription(),
					properties.getManagement().isEnabled() ? properties.getManagement().getExternalPort() : null,
					ipv6 && !inContainer);
			mapper.setPublishedPort(properties.getContainer().getPublishedPort());
			return mapper;
		}

	}

}
