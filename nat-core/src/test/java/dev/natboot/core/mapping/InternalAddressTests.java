package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A container behind a bridge names the address the router sees, its host's, in its PCP requests. */
class InternalAddressTests {

	@Test
	void pcpRequestsNameTheConfiguredInternalAddress() throws Exception {
		try (FakeNatRouter router = new FakeNatRouter(true, false);
				MappingEngine engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
					.internalAddress(InetAddress.getByName("192.0.2.10"))
					.build()) {
			engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(1), "test"));
			await().atMost(Duration.ofSeconds(3)).until(() -> engine.mapping("server").orElseThrow().isActive());
			// The client address field, bytes 8-23 of every request: ::ffff:192.0.2.10.
			String clientField = "00000000000000000000ffffc000020a";
			assertThat(router.requests).isNotEmpty()
				.allSatisfy((request) -> assertThat(request.substring(16, 48)).isEqualTo(clientField));
			assertThat(HexFormat.of().parseHex(clientField)).hasSize(16);
		}
	}

}
