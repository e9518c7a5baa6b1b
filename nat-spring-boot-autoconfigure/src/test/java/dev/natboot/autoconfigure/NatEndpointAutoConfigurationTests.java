package dev.natboot.autoconfigure;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.endpoint.NatEndpoint;
import dev.natboot.spring.endpoint.NatEndpointWebExtension;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class NatEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, NatEndpointAutoConfiguration.class))
		.withPropertyValues("nat.mode=extip:198.51.100.9");

	@Test
	void providesTheEndpointWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nat")
			.run((context) -> assertThat(context).hasSingleBean(NatEndpoint.class)
				.hasSingleBean(NatEndpointWebExtension.class));
	}

	@Test
	void backsOffWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(NatEndpoint.class));
	}

	@Test
	void backsOffWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nat")
			.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(NatEndpoint.class));
	}

	@Test
	void backsOffWithoutTheEngine() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nat", "nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NatEndpoint.class));
	}

	@Test
	void describesAUserDefinedEngineAlsoWithNatDisabled() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nat", "nat.enabled=false")
			.withBean("myEngine", MappingEngine.class,
					() -> MappingEngine.builder().mode(dev.natboot.core.NatMode.of("extip:198.51.100.7")).build())
			.run((context) -> assertThat(context.getBean(NatEndpoint.class).nat().mode()).isEqualTo("extip:198.51.100.7"));
	}

	@Test
	void backsOffFromAUserDefinedEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nat")
			.withBean("myEndpoint", NatEndpoint.class, () -> new NatEndpoint(MappingEngine.builder().mode(dev.natboot.core.NatMode.NONE).build()))
			.run((context) -> assertThat(context).hasSingleBean(NatEndpoint.class).hasBean("myEndpoint"));
	}

}
