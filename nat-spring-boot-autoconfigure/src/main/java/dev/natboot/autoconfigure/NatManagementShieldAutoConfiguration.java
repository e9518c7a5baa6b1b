package dev.natboot.autoconfigure;

import java.util.List;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.shield.LocalNetworks;
import dev.natboot.spring.shield.ManagementExposureLogger;
import dev.natboot.spring.shield.ManagementPaths;
import dev.natboot.spring.shield.ManagementShield;
import dev.natboot.spring.shield.ManagementShieldFilter;
import dev.natboot.spring.shield.ManagementShieldWebFilter;
import dev.natboot.spring.shield.RelayedConnections;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration of the management shield: when the actuator's endpoints share the web server port that
 * natboot maps, requests for them from outside the local networks get a 404, unless
 * {@code nat.server.expose-management=true}. Either way one line at startup says which endpoints are there.
 */
@AutoConfiguration(after = NatAutoConfiguration.class,
		afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration")
@ConditionalOnClass({ PathMappedEndpoints.class, ConditionalOnManagementPort.class, WebServerInitializedEvent.class })
@ConditionalOnWebApplication
@ConditionalOnBean({ MappingEngine.class, PathMappedEndpoints.class })
@ConditionalOnBooleanProperty(name = "nat.server.enabled", matchIfMissing = true)
@ConditionalOnManagementPort(ManagementPortType.SAME)
public final class NatManagementShieldAutoConfiguration {

	@Bean
	ManagementExposureLogger natManagementExposureLogger(MappingEngine natMappingEngine,
			ObjectProvider<PathMappedEndpoints> endpoints, NatProperties properties) {
		return new ManagementExposureLogger(natMappingEngine,
				() -> List.copyOf(endpoints.getObject().getAllRootPaths()), () -> endpoints.getObject().getBasePath(),
				properties.getServer().isExposeManagement());
	}

	/**
	 * What counts as local; an application may define its own (its VPN's ranges, say).
	 * @return this host's own networks and the private ranges
	 */
	@Bean
	@ConditionalOnMissingBean
	LocalNetworks natLocalNetworks() {
		return new LocalNetworks();
	}

	/**
	 * The shield, which reads where the endpoints are at its first request: asking earlier would make the
	 * actuator discover its endpoints while the web server is being created.
	 */
	static ManagementShield shield(MappingEngine engine, ObjectProvider<PathMappedEndpoints> endpoints,
			LocalNetworks localNetworks, ObjectProvider<RelayedConnections> relays) {
		// Asked at each request (a map lookup): the relay's bean may be created after the shield's.
		RelayedConnections relayed = (peer) -> {
			RelayedConnections relay = relays.getIfAvailable();
			return relay != null && relay.isRelayed(peer);
		};
		return new ManagementShield(() -> paths(endpoints.getObject()), localNetworks, engine::isMapping, relayed);
	}

	private static ManagementPaths paths(PathMappedEndpoints endpoints) {
		List<String> paths = endpoints.stream().map(PathMappedEndpoint::getRootPath).map((path) -> "/" + path).toList();
		// Health groups served at paths of their own on the main server (probes' /livez and /readyz).
		List<String> additional = endpoints.stream()
			.flatMap((endpoint) -> endpoint.getAdditionalPaths(WebServerNamespace.SERVER).stream())
			.toList();
		return new ManagementPaths(endpoints.getBasePath(), paths, additional);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
	@ConditionalOnBooleanProperty(name = "nat.server.expose-management", havingValue = false, matchIfMissing = true)
	static class ServletShieldConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "natManagementShieldFilter")
		FilterRegistrationBean<ManagementShieldFilter> natManagementShieldFilter(MappingEngine natMappingEngine,
				ObjectProvider<PathMappedEndpoints> endpoints, LocalNetworks natLocalNetworks,
				ObjectProvider<RelayedConnections> relays) {
			FilterRegistrationBean<ManagementShieldFilter> registration = new FilterRegistrationBean<>(
					new ManagementShieldFilter(shield(natMappingEngine, endpoints, natLocalNetworks, relays)));
			registration.setName("natManagementShieldFilter");
			// Ahead of every other filter, Spring Security's and the forwarded-header filter's included.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	@ConditionalOnBooleanProperty(name = "nat.server.expose-management", havingValue = false, matchIfMissing = true)
	static class ReactiveShieldConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ManagementShieldWebFilter natManagementShieldWebFilter(MappingEngine natMappingEngine,
				ObjectProvider<PathMappedEndpoints> endpoints, LocalNetworks natLocalNetworks,
				ObjectProvider<RelayedConnections> relays) {
			return new ManagementShieldWebFilter(shield(natMappingEngine, endpoints, natLocalNetworks, relays));
		}

	}

}
