package dev.natboot.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.natboot.core.NatMode;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.spring.NatMappingLifecycle;
import dev.natboot.spring.NatReachabilityLogger;
import dev.natboot.spring.WebServerPortMapper;
import dev.natboot.spring.event.NatEventPublisher;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;

/**
 * Loads and links what natboot's beans need while the application is still preparing its context, on Spring
 * Boot's own background preinitialization thread (which Boot skips on a single CPU), so that creating those
 * beans later costs the main thread less: class loading from a nested jar was most of the 35-50 ms they took
 * there. Sends nothing and keeps nothing: the engine built here is in mode {@code none} and closed at once.
 */
final class NatBackgroundPreinitializer implements BackgroundPreinitializer {

	/** Classes of optional modules (actuator, Micrometer): absent ones are skipped. */
	static final List<String> OPTIONAL_CLASSES = List.of("dev.natboot.spring.endpoint.NatEndpoint",
			"dev.natboot.spring.endpoint.NatEndpointWebExtension", "dev.natboot.spring.health.NatHealthIndicator",
			"dev.natboot.spring.metrics.NatMetrics");

	@Override
	public void preinitialize() {
		NatProperties defaults = new NatProperties();
		NatPropertiesValidator.validate(defaults);
		NatPropertiesValidator.stunServers(defaults);
		NatMode.of("any");
		MappingEngine.builder().mode(NatMode.NONE).threadName("nat-preinit").build().close(Duration.ZERO);
		for (Class<?> type : List.of(NatAutoConfiguration.class, NatProperties.class, NatEventPublisher.class,
				NatReachabilityLogger.class, WebServerPortMapper.class, NatMappingLifecycle.class)) {
			introspect(type.getName());
		}
		OPTIONAL_CLASSES.forEach(NatBackgroundPreinitializer::introspect);
	}

	/**
	 * Initializes a class and reads its members as bean creation and endpoint discovery will: that loads every
	 * type in their signatures, and the JDK keeps what it read for the main thread's own reflection.
	 */
	private static void introspect(String className) {
		try {
			Class<?> type = Class.forName(className, true, NatBackgroundPreinitializer.class.getClassLoader());
			type.getDeclaredConstructors();
			type.getDeclaredMethods();
			type.getDeclaredFields();
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// An optional module the application does not use: nothing to prepare for it.
		}
	}

}
