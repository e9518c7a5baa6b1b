package dev.natboot.autoconfigure;

import dev.natboot.spring.shield.LocalNetworks;
import dev.natboot.spring.shield.ManagementExposureLogger;
import dev.natboot.spring.shield.ManagementShieldWebFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

class NatManagementShieldAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(NatAutoConfiguration.class,
			EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class, NatManagementShieldAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
		.withPropertyValues("nat.mode=extip:198.51.100.9");

	@Test
	void shieldsTheActuatorOnTheServerPortByDefault() {
		this.servlet.run((context) -> {
			assertThat(context).hasBean("natManagementShieldFilter").hasSingleBean(ManagementExposureLogger.class)
				.hasSingleBean(LocalNetworks.class);
			assertThat(context.getBean("natManagementShieldFilter", FilterRegistrationBean.class).getOrder())
				.isEqualTo(Integer.MIN_VALUE);
		});
	}

	@Test
	void onReactiveServersAWebFilter() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("nat.mode=extip:198.51.100.9")
			.run((context) -> assertThat(context).hasSingleBean(ManagementShieldWebFilter.class)
				.doesNotHaveBean("natManagementShieldFilter"));
	}

	@Test
	void exposedOnRequestButStillSaidAtStartup() {
		this.servlet.withPropertyValues("nat.server.expose-management=true")
			.run((context) -> assertThat(context).doesNotHaveBean("natManagementShieldFilter")
				.hasSingleBean(ManagementExposureLogger.class));
	}

	@Test
	void notWhenTheManagementServerHasAPortOfItsOwn() {
		this.servlet.withPropertyValues("management.server.port=9001")
			.run((context) -> assertThat(context).doesNotHaveBean("natManagementShieldFilter")
				.doesNotHaveBean(ManagementExposureLogger.class));
	}

	@Test
	void notWhenTheServerPortIsNotMapped() {
		this.servlet.withPropertyValues("nat.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("natManagementShieldFilter"));
		this.servlet.withPropertyValues("nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("natManagementShieldFilter"));
	}

	@Test
	void backsOffWithoutTheActuator() {
		this.servlet.withClassLoader(new FilteredClassLoader(PathMappedEndpoints.class))
			.run((context) -> assertThat(context).doesNotHaveBean("natManagementShieldFilter")
				.doesNotHaveBean(ManagementExposureLogger.class));
	}

	@Test
	void aUserDefinedLocalNetworksWins() {
		this.servlet.withBean("myNetworks", LocalNetworks.class, LocalNetworks::new)
			.run((context) -> assertThat(context).hasSingleBean(LocalNetworks.class).hasBean("myNetworks"));
	}

}
