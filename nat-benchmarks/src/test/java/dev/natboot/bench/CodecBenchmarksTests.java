package dev.natboot.bench;

import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpResultCode;
import dev.natboot.core.pmp.PmpMapResponse;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.upnp.SoapResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks measure what they say: every capture loads and decodes to what the lab's routers sent.
 */
class CodecBenchmarksTests {

	private final CodecBenchmarks benchmarks = new CodecBenchmarks();

	@Test
	void everyBenchmarkDecodesItsCapture() throws Exception {
		this.benchmarks.load();
		assertThat(this.benchmarks.pcpDecodeMapResponse().result()).isEqualTo(PcpResultCode.SUCCESS);
		assertThat(this.benchmarks.pcpDecodeMapResponse().data()).isInstanceOf(PcpMapData.class);
		assertThat(this.benchmarks.pmpDecodeMapResponse()).isInstanceOf(PmpMapResponse.class);
		assertThat(this.benchmarks.stunDecodeBindingResponse().mappedAddress()).isPresent();
		assertThat(StunCodec.decode(this.benchmarks.stunEncodeBindingRequest()).method())
			.isEqualTo(this.benchmarks.stunDecodeBindingResponse().method());
		assertThat(this.benchmarks.pcpEncodeMapRequest()).hasSize(60);
		assertThat(this.benchmarks.pmpEncodeMapRequest()).hasSize(12);
		assertThat(this.benchmarks.ssdpDecodeSearchResponse().location()).startsWith("http://");
		assertThat(this.benchmarks.upnpParseDeviceDescription().services()).isNotEmpty();
		assertThat(this.benchmarks.soapDecodePortMappingEntry()).isInstanceOf(SoapResponse.Success.class);
		assertThat(this.benchmarks.jdkDomParseOfTheDescription().getDocumentElement().getLocalName()).isEqualTo("root");
	}

}
