package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.pmp.PmpMapRequest;
import dev.natboot.core.pmp.PmpRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Only the ports the application was configured to map are ever mapped: never port 0 (which PCP reads as
 * "every port"), never a range, and never for another host's address.
 */
class OnlyConfiguredPortsTests {

	@Test
	void portZeroAndPortsOutOfRangeAreRefusedBeforeAnythingIsSent() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MappingSpec("all", Transport.TCP, 0, 0, Duration.ofMinutes(1), "all ports"))
			.withMessageContaining("between 1 and 65535: 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MappingSpec("big", Transport.UDP, 65536, 0, Duration.ofMinutes(1), "big"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MappingSpec("ext", Transport.UDP, 8080, -1, Duration.ofMinutes(1), "ext"));
	}

	@Test
	void everyPcpRequestNamesThisHostAndOneConfiguredPort() throws Exception {
		try (FakeNatRouter router = new FakeNatRouter(true, false);
				MappingEngine engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP)).announcementPort(0).build()) {
			engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(1), "web"));
			engine.add(new MappingSpec("game", Transport.UDP, 27015, 0, Duration.ofMinutes(1), "game"));
			await().atMost(Duration.ofSeconds(3)).until(() -> router.mappings.size() == 2);
			engine.close(Duration.ofSeconds(2));
			int maps = 0;
			for (String hex : router.requests) {
				PcpRequest request = PcpCodec.decodeRequest(HexFormat.of().parseHex(hex));
				assertThat(request.clientAddress()).isEqualTo(InetAddress.getLoopbackAddress());
				assertThat(request.options()).as("no THIRD_PARTY or other option").isEmpty();
				if (request.data() instanceof PcpMapData map) {
					maps++;
					assertThat(map.internalPort()).isIn(8080, 27015);
					assertThat(map.externalPort()).isIn(8080, 27015);
				}
			}
			assertThat(maps).isGreaterThanOrEqualTo(4); // two maps, two deletions
		}
	}

	/** The NAT-PMP twin; its discovery also warms the mapping code up, which must send nothing. */
	@Test
	void everyNatPmpRequestNamesOneConfiguredPort() throws Exception {
		try (FakeNatRouter router = new FakeNatRouter(false, true);
				MappingEngine engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.PMP)).announcementPort(0).build()) {
			engine.discover();
			engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(1), "web"));
			await().atMost(Duration.ofSeconds(3)).until(() -> router.mappings.size() == 1);
			engine.close(Duration.ofSeconds(2));
			int maps = 0;
			for (String hex : router.requests) {
				PmpRequest request = PmpCodec.decodeRequest(HexFormat.of().parseHex(hex));
				if (request instanceof PmpMapRequest map) {
					maps++;
					assertThat(map.internalPort()).isEqualTo(8080);
					assertThat(map.suggestedExternalPort()).isIn(0, 8080);
				}
			}
			assertThat(maps).isEqualTo(2); // the map and its deletion
		}
	}

}
