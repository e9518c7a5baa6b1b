package dev.natboot.autoconfigure;

import java.time.Duration;

import dev.natboot.core.mapping.MappingSpec;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks the values a {@link NatProperties} binds to, so a bad one stops startup with a clear message rather
 * than a failure later on the engine's thread.
 */
final class NatPropertiesValidator {

	private NatPropertiesValidator() {
	}

	static void validate(NatProperties properties) {
		Duration lease = properties.getLease();
		if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(MappingSpec.MAX_LEASE) > 0) {
			throw new InvalidConfigurationPropertyValueException("nat.lease", lease,
					"The lease must be between 1s and " + MappingSpec.MAX_LEASE.toSeconds() + "s.");
		}
		Duration shutdownTimeout = properties.getShutdownTimeout();
		if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("nat.shutdown-timeout", shutdownTimeout,
					"The shutdown timeout must be positive.");
		}
		int externalPort = properties.getServer().getExternalPort();
		if (externalPort < 0 || externalPort > 65535) {
			throw new InvalidConfigurationPropertyValueException("nat.server.external-port", externalPort,
					"The external port must be between 1 and 65535, or 0 for the server's own port.");
		}
	}

}
