package dev.natboot.spring;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

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
	void saysSoWhenTheRouterDidNotConfirmTheRelease(CapturedOutput output) throws Exception {
		this.logger.mappingRemoved(mapping("11.22.33.1", MappingState.ABANDONED));
		assertThat(output).contains("the router did not confirm the release");
		this.logger.mappingRemoved(mapping("11.22.33.1", MappingState.REMOVED));
		assertThat(output).contains("Web server port 8080/TCP is no longer mapped on the router");
	}

	private static Mapping mapping(String external, MappingState state) throws Exception {
		return new Mapping(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(2), "test"), state,
				NatProtocol.UPNP, new InetSocketAddress("192.0.2.1", 1900), InetAddress.getByName(external), 8080,
				Duration.ofSeconds(120), Instant.now().plusSeconds(120), Instant.now(), Instant.now(),
				Duration.ofNanos(12_500_000), null, 0, 0, null, null);
	}

}
