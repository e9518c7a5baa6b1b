package dev.natboot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatMode;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.turn.TurnServer;
import dev.natboot.spring.WebServerPortMapper;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.validation.Errors;

/**
 * Checks the values a {@link NatProperties} binds to, as Spring Boot binds them: a bad one stops startup with
 * the property's name, its value and where it was set, whichever {@code MappingEngine} the application uses.
 * Field names are the properties' own paths below {@code nat}, so that Boot reports {@code nat.lease},
 * {@code nat.mappings.game.internal-port}.
 */
final class NatPropertiesValidator {

	private static final String INVALID = "invalid";

	private NatPropertiesValidator() {
	}

	static void validate(NatProperties properties, Errors errors) {
		Duration lease = properties.getLease();
		if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(MappingSpec.MAX_LEASE) > 0) {
			reject(errors, "lease",
					"The lease must be between 1s and " + MappingSpec.MAX_LEASE.toSeconds() + "s.");
		}
		Duration shutdownTimeout = properties.getShutdownTimeout();
		if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
			reject(errors, "shutdownTimeout", "The shutdown timeout must be positive.");
		}
		if (properties.getVerificationInterval().compareTo(Duration.ofSeconds(1)) < 0) {
			reject(errors, "verificationInterval", "The verification interval must be at least 1s.");
		}
		if (properties.getMaxRetryInterval().compareTo(Duration.ofSeconds(1)) < 0) {
			reject(errors, "maxRetryInterval", "The longest retry interval must be at least 1s.");
		}
		String hostAddress = properties.getContainer().getHostAddress();
		if (hostAddress != null && !hostAddress.isBlank() && IpLiteral.parseIpv4(hostAddress) == null) {
			reject(errors, "container.hostAddress", "Give the container host's LAN address as an IPv4 literal, such as "
					+ "192.168.1.20.");
		}
		int published = properties.getContainer().getPublishedPort();
		if (published < 0 || published > 65535) {
			reject(errors, "container.publishedPort", "The published port must be between 1 and 65535, or 0 for the "
					+ "web server's own.");
		}
				String networkInterface = properties.getInterface();
		if (networkInterface != null && !networkInterface.isEmpty()
				&& !networkInterface.matches("[A-Za-z0-9_.:@-]{1,15}")) {
			reject(errors, "interface", "Give an interface's name, such as eth0 (at most 15 letters, digits and _.:@-).");
		}
				Path journal = properties.getPermanentMappingJournal();
		if (journal != null && Files.isRegularFile(journal)) {
			reject(errors, "permanentMappingJournal",
					"Give a directory: every running instance keeps a journal file of its own in it.");
		}
		List<String> servers = properties.getStun().getServers();
		for (int i = 0; i < servers.size(); i++) {
			String reason = stunServerProblem(servers.get(i));
			if (reason != null) {
				reject(errors, "stun.servers[" + i + "]", reason + ". Give HOST, HOST:PORT or [IPV6]:PORT.");
			}
		}
		if (properties.getStun().getCheckInterval().compareTo(Duration.ofSeconds(10)) < 0) {
			reject(errors, "stun.checkInterval", "The STUN check interval must be at least 10s.");
		}
		if (properties.getMode().kind() == NatMode.Kind.STUN && properties.getMode().stunServer() == null
				&& servers.isEmpty()) {
			reject(errors, "mode",
					"Mode stun needs a STUN server: name one in the mode (stun:HOST[:PORT]) or in nat.stun.servers.");
		}
		validateTurn(properties, errors);
		checkExternalPort(errors, "server.externalPort", properties.getServer().getExternalPort());
		checkExternalPort(errors, "management.externalPort", properties.getManagement().getExternalPort());
		Set<String> ports = new HashSet<>();
		properties.getMappings().forEach((name, mapping) -> {
			String prefix = "mappings[" + name + "]";
			if (name.equals(WebServerPortMapper.MAPPING_NAME) || name.equals(WebServerPortMapper.MANAGEMENT_MAPPING_NAME)) {
				reject(errors, prefix,
						"The name '" + name + "' is taken by the " + name + " port's own mapping; choose another.");
			}
			Integer internalPort = mapping.getInternalPort();
			if (internalPort == null || internalPort < 1 || internalPort > 65535) {
				reject(errors, prefix + ".internalPort",
						"Every extra mapping needs an internal port between 1 and 65535.");
			}
			else if (!ports.add(mapping.getProtocol() + "/" + internalPort)) {
				reject(errors, prefix + ".internalPort", "Another extra mapping already maps "
						+ internalPort + "/" + mapping.getProtocol() + "; each port is mapped once.");
			}
			checkExternalPort(errors, prefix + ".externalPort", mapping.getExternalPort());
			if (mapping.isAnswersProbes() && mapping.getProtocol() != dev.natboot.core.Transport.UDP) {
				reject(errors, prefix + ".answersProbes",
						"Only UDP mappings answer probes: TCP mappings are checked by connecting to them.");
			}
		});
	}

	private static void validateTurn(NatProperties properties, Errors errors) {
		NatProperties.Turn turn = properties.getTurn();
		for (int i = 0; i < turn.getServers().size(); i++) {
			try {
				TurnServer.parse(turn.getServers().get(i));
			}
			catch (IllegalArgumentException ex) {
				reject(errors, "turn.servers[" + i + "]", ex.getMessage() + ".");
			}
		}
		if (!turn.getServers().isEmpty()) {
			if (turn.getUsername() == null || turn.getUsername().isEmpty()) {
				reject(errors, "turn.username", "TURN servers need the user name of their long-term credentials.");
			}
			if (turn.getPassword() == null || turn.getPassword().isEmpty()) {
				// Only ever rejected when empty: Boot's report of a rejected value would show it.
				reject(errors, "turn.password", "TURN servers need the password of their long-term credentials.");
			}
		}
		NatProperties.Reachability reachability = properties.getReachability();
		if (reachability.getCheckInterval().compareTo(Duration.ofSeconds(10)) < 0) {
			reject(errors, "reachability.checkInterval", "The reachability check interval must be at least 10s.");
		}
		Duration timeout = reachability.getTimeout();
		if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
			reject(errors, "reachability.timeout", "The reachability timeout must be between 100ms and 1m.");
		}
	}

	/**
	 * The configured TURN servers, which binding has validated.
	 * @param properties the properties
	 * @return the servers, in order
	 */
	static List<TurnServer> turnServers(NatProperties properties) {
		return properties.getTurn().getServers().stream().map(TurnServer::parse).toList();
	}

	/**
	 * Parses the configured STUN servers, which binding has validated.
	 * @param properties the properties
	 * @return the servers, in order
	 */
	static List<StunServer> stunServers(NatProperties properties) {
		List<StunServer> servers = new ArrayList<>();
		for (String server : properties.getStun().getServers()) {
			servers.add(StunServer.parse(server));
		}
		return servers;
	}

	private static @Nullable String stunServerProblem(String server) {
		try {
			StunServer.parse(server);
			return null;
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
	}

	/**
	 * Rejects a field. Spring Boot reports the field by its path ({@code nat.shutdownTimeout}) with its value and
	 * origin; the message names the property as it is written in configuration files.
	 */
	private static void reject(Errors errors, String field, String message) {
		errors.rejectValue(field, INVALID, "nat." + DataObjectPropertyName.toDashedForm(field) + ": " + message);
	}

	private static void checkExternalPort(Errors errors, String field, int externalPort) {
		if (externalPort < 0 || externalPort > 65535) {
			reject(errors, field,
					"The external port must be between 1 and 65535, or 0 for the same as the internal port.");
		}
	}

}
