package dev.natboot.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.pmp.PmpMapRequest;
import dev.natboot.core.pmp.PmpResponse;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.upnp.IgdDescription;
import dev.natboot.core.upnp.IgdDescriptionParser;
import dev.natboot.core.upnp.SoapCodec;
import dev.natboot.core.upnp.SoapResponse;
import dev.natboot.core.upnp.SsdpCodec;
import dev.natboot.core.upnp.SsdpMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.w3c.dom.Document;

/**
 * Throughput of every codec on what the lab's real miniupnpd and coturn sent (the captures nat-core's tests and
 * fuzzers use). {@link #jdkDomParseOfTheDescription} is the reference: the JDK's own DOM parse of the same device
 * description, with the same hardening and a parser reused as natboot reuses its own, and nothing else.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmarks {

	private static final InetAddress ROUTER = router();

	private byte[] pcpMapResponse;

	private PcpRequest pcpMapRequest;

	private byte[] pmpMapResponse;

	private PmpMapRequest pmpMapRequest;

	private byte[] stunBindingResponse;

	private StunMessage stunBindingRequest;

	private byte[] ssdpResponse;

	private byte[] igdDescription;

	private byte[] soapPortMappingEntry;

	private DocumentBuilder hardenedDom;

	@Setup
	public void load() throws Exception {
		this.pcpMapResponse = captured("pcpResponse/miniupnpd-map");
		this.pcpMapRequest = PcpCodec.decodeRequest(captured("pcpRequest/map-request"));
		this.pmpMapResponse = captured("natPmpResponse/miniupnpd-map-tcp");
		this.pmpMapRequest = new PmpMapRequest(Transport.TCP, 8080, 8080, 180);
		this.stunBindingResponse = captured("stunMessage/coturn-response");
		this.stunBindingRequest = StunCodec.decode(captured("stunMessage/our-request"));
		this.ssdpResponse = captured("miniupnpd-ssdp-response.txt");
		this.igdDescription = captured("miniupnpd-igd2-rootDesc.xml");
		this.soapPortMappingEntry = captured("miniupnpd-GetSpecificPortMappingEntry.xml");
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
		factory.setExpandEntityReferences(false);
		factory.setNamespaceAware(true);
		this.hardenedDom = factory.newDocumentBuilder();
		// Each must decode, or the figures would measure the error path.
		pcpDecodeMapResponse();
		pmpDecodeMapResponse();
		stunDecodeBindingResponse();
		ssdpDecodeSearchResponse();
		upnpParseDeviceDescription();
		soapDecodePortMappingEntry();
	}

	@Benchmark
	public PcpResponse pcpDecodeMapResponse() throws MalformedMessageException {
		return PcpCodec.decodeResponse(this.pcpMapResponse);
	}

	@Benchmark
	public byte[] pcpEncodeMapRequest() {
		return PcpCodec.encode(this.pcpMapRequest);
	}

	@Benchmark
	public PmpResponse pmpDecodeMapResponse() throws MalformedMessageException {
		return PmpCodec.decodeResponse(this.pmpMapResponse);
	}

	@Benchmark
	public byte[] pmpEncodeMapRequest() {
		return PmpCodec.encode(this.pmpMapRequest);
	}

	@Benchmark
	public StunMessage stunDecodeBindingResponse() throws MalformedMessageException {
		return StunCodec.decode(this.stunBindingResponse);
	}

	@Benchmark
	public byte[] stunEncodeBindingRequest() {
		return StunCodec.encode(this.stunBindingRequest);
	}

	@Benchmark
	public SsdpMessage ssdpDecodeSearchResponse() throws MalformedMessageException {
		return SsdpCodec.decode(this.ssdpResponse);
	}

	@Benchmark
	public IgdDescription upnpParseDeviceDescription() throws MalformedMessageException {
		return IgdDescriptionParser.parse(this.igdDescription, URI.create("http://192.0.2.1:5000/rootDesc.xml"),
				ROUTER);
	}

	@Benchmark
	public SoapResponse soapDecodePortMappingEntry() throws MalformedMessageException {
		return SoapCodec.decodeResponse(this.soapPortMappingEntry, "GetSpecificPortMappingEntry");
	}

	@Benchmark
	public Document jdkDomParseOfTheDescription() throws Exception {
		this.hardenedDom.reset();
		return this.hardenedDom.parse(new ByteArrayInputStream(this.igdDescription));
	}

	private static InetAddress router() {
		try {
			return InetAddress.getByAddress(new byte[] { (byte) 192, 0, 2, 1 });
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static byte[] captured(String name) {
		try (InputStream in = CodecBenchmarks.class.getResourceAsStream("/captured/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No capture " + name + " on the class path");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
