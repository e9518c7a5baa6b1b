package dev.natboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.natboot.core.NatMode;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.stun.StunServer;
import dev.natboot.spring.WebServerPortMapper;

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
		if (properties.getVerificationInterval().compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidConfigurationPropertyValueException("nat.verification-interval",
					properties.getVerificationInterval(), "The verification interval must be at least 1s.");
		}
		if (properties.getMaxRetryInterval().compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidConfigurationPropertyValueException("nat.max-retry-interval",
					properties.getMaxRetryInterval(), "The longest retry interval must be at least 1s.");
		}
		java.nio.file.Path journal = properties.getPermanentMappingJournal();
		if (journal != null && java.nio.file.Files.isRegularFile(journal)) {
			throw new InvalidConfigurationPropertyValueException("nat.permanent-mapping-journal", journal,
					"Give a directory: every running instance keeps a journal file of its own in it.");
		}
		stunServers(properties);
		if (properties.getStun().getCheckInterval().compareTo(Duration.ofSeconds(10)) < 0) {
			throw new InvalidConfigurationPropertyValueException("nat.stun.check-interval",
					properties.getStun().getCheckInterval(), "The STUN check interval must be at least 10s.");
		}
		if (properties.getMode().kind() == NatMode.Kind.STUN && properties.getMode().stunServer() == null
				&& properties.getStun().getServers().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("nat.mode", properties.getMode().toSpec(),
					"Mode stun needs a STUN server: name one in the mode (stun:HOST[:PORT]) or in nat.stun.servers.");
		}
		checkExternalPort("nat.server.external-port", properties.getServer().getExternalPort());
		checkExternalPort("nat.management.external-port", properties.getManagement().getExternalPort());
		Set<String> ports = new HashSet<>();
		properties.getMappings().forEach((name, mapping) -> {
			String prefix = "nat.mappings." + name;
			if (name.equals(WebServerPortMapper.MAPPING_NAME) || name.equals(WebServerPortMapper.MANAGEMENT_MAPPING_NAME)) {
				throw new InvalidConfigurationPropertyValueException(prefix, name,
						"The name '" + name + "' is taken by the " + name + " port's own mapping; choose another.");
			}
			Integer internalPort = mapping.getInternalPort();
			if (internalPort == null || internalPort < 1 || internalPort > 65535) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".internal-port", internalPort,
						"Every extra mapping needs an internal port between 1 and 65535.");
			}
			checkExternalPort(prefix + ".external-port", mapping.getExternalPort());
			if (!ports.add(mapping.getProtocol() + "/" + internalPort)) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".internal-port", internalPort,
						"Another extra mapping already maps " + internalPort + "/" + mapping.getProtocol()
								+ "; each port is mapped once.");
			}
		});
	}

	/**
	 * Parses the configured STUN servers.
	 * @param properties the properties
	 * @return the servers, in order
	 */
	static List<StunServer> stunServers(NatProperties properties) {
		List<StunServer> servers = new ArrayList<>();
		List<String> configured = properties.getStun().getServers();
		for (int i = 0; i < configured.size(); i++) {
			try {
				servers.add(StunServer.parse(configured.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("nat.stun.servers[" + i + "]", configured.get(i),
						ex.getMessage() + ". Give HOST, HOST:PORT or [IPV6]:PORT.");
			}
		}
		return servers;
	}

	private static void checkExternalPort(String property, int externalPort) {
		if (externalPort < 0 || externalPort > 65535) {
			throw new InvalidConfigurationPropertyValueException(property, externalPort,
					"The external port must be between 1 and 65535, or 0 for the same as the internal port.");
		}
	}

}
