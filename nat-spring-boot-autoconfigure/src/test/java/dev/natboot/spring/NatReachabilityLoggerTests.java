package dev.natboot.spring;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.mapping.MappingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class NatReachabilityLoggerTests {

	private final NatReachabilityLogger logger = new NatReachabilityLogger();

	@Test
	void saysWhereTheServerIsReachable(CapturedOutput output) throws Exception {
		this.logger.mappingCreated(mapping("11.22.33.1", MappingState.ACTIVE));
		assertThat(output).contains("Web server port 8080/TCP is reachable at 11.22.33.1:8080 "
				+ "(UPnP via gateway 192.0.2.1, lease 120 s, confirmed in 12.5 ms)");
	}

	@Test
	void doesNotPretendWhenTheRouterIsBehindAnotherNat(CapturedOutput output) throws Exception {
		this.logger.mappingCreated(mapping("100.64.3.4", MappingState.ACTIVE));
		assertThat(output).contains("Web server port 8080/TCP is mapped on the router at 100.64.3.4:8080")
			.contains("but not reachable from the internet: the router's external address is a carrier-grade NAT "
					+ "address (100.64.0.0/10), so the router itself is behind another NAT")
			.doesNotContain("is reachable at");
		this.logger.mappingCreated(mapping("192.168.0.2", MappingState.ACTIVE));
		assertThat(output).contains("external address is a private address");
	}

	@Test
	void saysBothEndpointsOfADualStackServerInOneLine(CapturedOutput output) throws Exception {
		Map<String, Mapping> engine = new HashMap<>();
		NatReachabilityLogger dualStack = new NatReachabilityLogger(false, (name) -> Optional.ofNullable(engine.get(name)));
		Mapping pinhole = pinhole(MappingState.ACTIVE, null);
		engine.put("server-ipv6", pinhole(MappingState.PENDING, null));
		Mapping server = mapping("11.22.33.1", MappingState.ACTIVE);
		engine.put("server", server);
		dualStack.mappingCreated(server);
		assertThat(output).as("held for the pinhole").doesNotContain("is reachable");
		engine.put("server-ipv6", pinhole);
		dualStack.mappingCreated(pinhole);
		assertThat(output).contains("Web server port 8080/TCP is reachable at 11.22.33.1:8080 and [2001:db8:1::10]:8080 "
				+ "(UPnP via gateway 192.0.2.1, lease 120 s, confirmed in 12.5 ms; IPv6 PCP pinhole via gateway fe80::1%3, "
				+ "lease 120 s, confirmed in 12.5 ms)");
		// Later changes are told one by one, as before.
		dualStack.mappingCreated(server);
		assertThat(output).contains("Web server port 8080/TCP is reachable at 11.22.33.1:8080 (UPnP");
	}

	@Test
	void saysReachableOverIpv6OnlyBehindCarrierGradeNat(CapturedOutput output) throws Exception {
		Map<String, Mapping> engine = new HashMap<>();
		NatReachabilityLogger dualStack = new NatReachabilityLogger(false, (name) -> Optional.ofNullable(engine.get(name)));
		engine.put("server", new Mapping(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"),
				MappingState.PENDING, null, null, null, 0, null, null, Instant.now(), null, null, null, 0, 0, null, null));
		Mapping pinhole = pinhole(MappingState.ACTIVE, null);
		engine.put("server-ipv6", pinhole);
		dualStack.mappingCreated(pinhole);
		assertThat(output).doesNotContain("reachable");
		Mapping cgnat = mapping("100.64.3.4", MappingState.ACTIVE);
		dualStack.mappingCreated(cgnat);
		assertThat(output).contains("Web server port 8080/TCP is reachable over IPv6 only, at [2001:db8:1::10]:8080 "
				+ "(PCP pinhole via gateway fe80::1%3, lease 120 s, confirmed in 12.5 ms); over IPv4 it is mapped on the "
				+ "router at 100.64.3.4:8080, but the router's external address is a carrier-grade NAT address")
			.doesNotContain("WARN");
	}

	@Test
	void aFailedPinholeLeavesTheIpv4LineAndSaysWhy(CapturedOutput output) throws Exception {
		Map<String, Mapping> engine = new HashMap<>();
		NatReachabilityLogger dualStack = new NatReachabilityLogger(false, (name) -> Optional.ofNullable(engine.get(name)));
		engine.put("server-ipv6", pinhole(MappingState.PENDING, null));
		Mapping server = mapping("11.22.33.1", MappingState.ACTIVE);
		engine.put("server", server);
		dualStack.mappingCreated(server);
		NatException refused = new NatException(NatErrorKind.NOT_AUTHORIZED, NatProtocol.PCP, 2, "PCP MAP refused");
		dualStack.mappingFailed(pinhole(MappingState.RETRYING, refused), refused);
		assertThat(output).contains("Web server port 8080/TCP is reachable at 11.22.33.1:8080 (UPnP")
			.contains("Web server port 8080/TCP has no IPv6 pinhole: PCP MAP refused");
	}

	@Test
	void saysSoWhenTheRouterDidNotConfirmTheRelease(CapturedOutput output) throws Exception {
		this.logger.mappingRemoved(mapping("11.22.33.1", MappingState.ABANDONED));
		assertThat(output).contains("the router did not confirm the release");
		this.logger.mappingRemoved(mapping("11.22.33.1", MappingState.REMOVED));
		assertThat(output).contains("Web server port 8080/TCP is no longer mapped on the router");
	}

	private static Mapping pinhole(MappingState state, NatException error) throws Exception {
		boolean active = state == MappingState.ACTIVE;
		return new Mapping(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test").ipv6("server-ipv6"),
				state, NatProtocol.PCP,
				new InetSocketAddress(Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3), 5351),
				active ? InetAddress.getByName("2001:db8:1::10") : null, active ? 8080 : 0, Duration.ofSeconds(120),
				Instant.now().plusSeconds(120), Instant.now(), active ? Instant.now() : null,
				active ? Duration.ofNanos(12_500_000) : null, null, 0, (error != null) ? 1 : 0, error,
				(error != null) ? Instant.now() : null);
	}

	private static Mapping mapping(String external, MappingState state) throws Exception {
		return new Mapping(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"), state,
				NatProtocol.UPNP, new InetSocketAddress("192.0.2.1", 1900), InetAddress.getByName(external), 8080,
				Duration.ofSeconds(120), Instant.now().plusSeconds(120), Instant.now(), Instant.now(),
				Duration.ofNanos(12_500_000), null, 0, 0, null, null);
	}

}
