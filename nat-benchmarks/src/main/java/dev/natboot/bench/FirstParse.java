package dev.natboot.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.URI;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import dev.natboot.core.upnp.IgdDescriptionParser;
import dev.natboot.core.upnp.SoapCodec;

/**
 * The first reading of a router's device description and of a SOAP answer in a fresh JVM: what a UPnP router
 * costs an application during its start, where {@link CodecBenchmarks} measures the warm throughput. One run per
 * JVM, {@code natboot} (nat-core's parsers) or {@code jdk-dom} (the JDK's DOM parser hardened as nat-core
 * configured it until 2026-12-03, on the same two documents, and nothing else). Prints the CPU time of the
 * thread and the classes loaded.
 */
public final class FirstParse {

	private FirstParse() {
	}

	public static void main(String[] args) throws Exception {
		String reader = args[0];
		byte[] description = CodecBenchmarks.captured("miniupnpd-igd2-rootDesc.xml");
		byte[] answer = CodecBenchmarks.captured("miniupnpd-GetSpecificPortMappingEntry.xml");
		InetAddress router = InetAddress.getByAddress(new byte[] { (byte) 192, 0, 2, 1 });
		URI location = URI.create("http://192.0.2.1:5000/rootDesc.xml");
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
		long loadedBefore = classes.getTotalLoadedClassCount();
		long cpuBefore = threads.getCurrentThreadCpuTime();
		if (reader.equals("natboot")) {
			IgdDescriptionParser.parse(description, location, router);
			SoapCodec.decodeResponse(answer, "GetSpecificPortMappingEntry");
		}
		else if (reader.equals("jdk-dom")) {
			DocumentBuilder dom = hardenedDom();
			dom.parse(new ByteArrayInputStream(description));
			dom.reset();
			dom.parse(new ByteArrayInputStream(answer));
		}
		else {
			throw new IllegalArgumentException("natboot or jdk-dom, not " + reader);
		}
		long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
		long loaded = classes.getTotalLoadedClassCount() - loadedBefore;
		System.out.printf("RESULT cpu-ms %.2f%nRESULT classes %d%n", cpu / 1e6, loaded);
	}

	private static DocumentBuilder hardenedDom() throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
		factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
		factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
		factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
		factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
		factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
		factory.setXIncludeAware(false);
		factory.setExpandEntityReferences(false);
		factory.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", "32");
		return factory.newDocumentBuilder();
	}

}
