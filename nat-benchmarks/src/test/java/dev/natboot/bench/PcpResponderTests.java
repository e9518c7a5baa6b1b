package dev.natboot.bench;

import java.net.InetAddress;
import java.time.Duration;

import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The responder the footprint figures use is a PCP server the engine accepts: it grants, and grants again.
 */
class PcpResponderTests {

	@Test
	void theEngineMapsAndRenewsThroughIt() throws Exception {
		try (PcpResponder router = new PcpResponder(InetAddress.getLoopbackAddress(),
				InetAddress.getByName("203.0.113.5"));
				MappingEngine engine = MappingEngine.builder()
					.mode(NatMode.of("pcp:127.0.0.1:" + router.address().getPort()))
					.gatewayDiscovery(() -> {
						throw new AssertionError("tests never look up this machine's real gateway");
					})
					.build()) {
			for (int i = 0; i < 10; i++) {
				engine.add(new MappingSpec("m" + i, Transport.UDP, 20000 + i, 0, Duration.ofSeconds(2), "test"));
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (engine.mappings().stream().filter((mapping) -> mapping.renewals() > 0).count() < 10
					&& System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(engine.mappings()).hasSize(10).allSatisfy((mapping) -> {
				assertThat(mapping.isActive()).isTrue();
				assertThat(mapping.protocol()).isEqualTo(NatProtocol.PCP);
				assertThat(mapping.externalEndpoint().getAddress().getHostAddress()).isEqualTo("203.0.113.5");
				assertThat(mapping.renewals()).isPositive();
			});
		}
	}

}
