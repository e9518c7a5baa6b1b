package dev.natboot.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingEngineBuilder;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.core.reachability.TurnReachabilityProbe;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.spring.TestEnvironment;
import dev.natboot.spring.WebServerPortMapper;

import org.springframework.core.env.Environment;

/**
 * Turns the {@code nat.*} properties, which binding has validated, into what the engine is built with.
 */
final class NatEngineConfigurer {

	/** What health, the endpoint and the log say of an engine skipped in tests. */
	static final String SKIPPED_IN_TESTS = "skipped in tests (nat.skip.in-tests=true): nothing is sent, nothing is mapped";

	/**
	 * What they say of an engine disabled at run time in an application processed ahead of time with natboot
	 * enabled: its beans were fixed at build time, and stay, inert.
	 */
	static final String DISABLED_AFTER_AOT = "disabled (nat.enabled=false): nothing is sent, nothing is mapped";

	private NatEngineConfigurer() {
	}

	/**
	 * A builder with the properties applied. Nothing is sent from the engine it builds until it is told to
	 * discover or map.
	 * @param properties the properties
	 * @param environment where the application's name comes from
	 * @return the builder
	 */
	static MappingEngineBuilder builder(NatProperties properties, Environment environment) {
		String inactive = null;
		if (!properties.isEnabled()) {
			// Only after AOT processing: otherwise the auto-configuration backs off.
			inactive = DISABLED_AFTER_AOT;
		}
		else if (properties.getSkip().isInTests() && TestEnvironment.isRunningInTest()) {
			inactive = SKIPPED_IN_TESTS;
		}
		return MappingEngine.builder()
			.mode(properties.getMode())
			.networkInterface(properties.getInterface())
			.internalAddress(IpLiteral.parseIpv4(properties.getContainer().getHostAddress()))
			.inactive(inactive)
			.shutdownTimeout(properties.getShutdownTimeout())
			.verificationInterval(properties.getVerificationInterval())
			.retryBackoff(Duration.ofSeconds(1), properties.getMaxRetryInterval())
			.permanentMappingJournal(journal(properties, environment))
			.stunServers(NatPropertiesValidator.stunServers(properties))
			.stunTransport(properties.getStun().getTransport())
			.stunCheckInterval(properties.getStun().getCheckInterval())
			.stunBehaviorDiscovery(properties.getStun().isBehaviorDiscovery());
	}

	/**
	 * The checks from outside through the configured TURN servers; the web server's and the management server's
	 * mappings must answer HTTP.
	 * @param engine the engine whose mappings are checked
	 * @param properties the properties, with TURN servers and credentials (validated at binding)
	 * @return the monitor, not started
	 */
	static ReachabilityMonitor reachabilityMonitor(MappingEngine engine, NatProperties properties) {
		TurnReachabilityProbe probe = turnProbe(properties);
		java.util.Set<String> answeringProbes = new java.util.HashSet<>();
		properties.getMappings().forEach((name, mapping) -> {
			if (mapping.isAnswersProbes()) {
				answeringProbes.add(name);
			}
		});
		return new ReachabilityMonitor(engine, probe, properties.getReachability().getCheckInterval(),
				(mapping) -> WebServerPortMapper.MAPPING_NAME.equals(mapping.name())
						|| WebServerPortMapper.MANAGEMENT_MAPPING_NAME.equals(mapping.name()),
				(mapping) -> answeringProbes.contains(mapping.name()), Clock.systemUTC());
	}

	/**
	 * The check from outside through the configured TURN servers.
	 * @param properties the properties, with TURN servers and credentials (validated at binding)
	 * @return the probe
	 */
	static TurnReachabilityProbe turnProbe(NatProperties properties) {
		NatProperties.Turn turn = properties.getTurn();
		TurnCredentials credentials = TurnCredentials.of(Objects.requireNonNull(turn.getUsername(), "validated"),
				Objects.requireNonNull(turn.getPassword(), "validated"));
		return new TurnReachabilityProbe(NatPropertiesValidator.turnServers(properties), credentials,
				properties.getReachability().getTimeout());
	}

	/**
	 * Whether natboot stays inert in this run (skipped in tests, or disabled after AOT processing): then nothing
	 * connects anywhere, the relay included.
	 * @param properties the properties
	 * @return true when inert
	 */
	static boolean inert(NatProperties properties) {
		return !properties.isEnabled() || (properties.getSkip().isInTests() && TestEnvironment.isRunningInTest());
	}

	/**
	 * The mappings configured under {@code nat.mappings}.
	 * @param properties the properties
	 * @return the mappings, in the order of the configuration
	 */
	static List<MappingSpec> extraMappings(NatProperties properties) {
		List<MappingSpec> specs = new ArrayList<>();
		properties.getMappings().forEach((name, mapping) -> specs.add(new MappingSpec(name, mapping.getProtocol(),
				Objects.requireNonNull(mapping.getInternalPort(), "validated at binding"), mapping.getExternalPort(),
				properties.getLease(), (mapping.getDescription() != null) ? mapping.getDescription() : name)));
		return specs;
	}

	private static Path journal(NatProperties properties, Environment environment) {
		Path configured = properties.getPermanentMappingJournal();
		if (configured != null) {
			return configured;
		}
		String name = environment.getProperty("spring.application.name", "application").replaceAll("[^A-Za-z0-9._-]", "_");
		return Path.of(System.getProperty("user.home"), ".natboot", name);
	}

}
