package dev.natboot.core.upnp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays what real routers sent (see corpus/SOURCES.md): each description yields the WAN connection service a
 * client maps with, each SSDP message is read, each SOAP answer gives its arguments or its fault.
 */
class RouterCorpusTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource({
			"linksys-wag200g.xml, urn:schemas-upnp-org:service:WANPPPConnection:1, /upnp/control/WANPPPConn1, 4",
			"orange-livebox-sagemcom.xml, urn:schemas-upnp-org:service:WANPPPConnection:2, /87895a19/upnp/control/WANIPConn1, 3",
			"google-wifi-onhub.xml, urn:schemas-upnp-org:service:WANIPConnection:2, /ctl/IPConn, 3",
			"pfsense-2.5.xml, urn:schemas-upnp-org:service:WANIPConnection:1, /ctl/IPConn, 3",
			"mikrotik-routeros-7.10.xml, urn:schemas-upnp-org:service:WANIPConnection:1, /upnp/control/yomkmsnooi/wanipconn-1, 5",
			"huawei-hg531-dslforum.xml, urn:dslforum-org:service:WANPPPConnection:1, /ctrlt/WANPPPConnection_1, 4",
			"mitrastar-hgw-2501gnu-rc-fragment.xml, urn:schemas-upnp-org:service:WANIPConnection:1, /UD/?10, 1" })
	void descriptionsOfRealRoutersYieldTheirWanService(String file, String serviceType, String controlPath, int devices)
			throws Exception {
		IgdDescription description = IgdDescriptionParser.parse(corpus("descriptions/" + file),
				URI.create("http://192.168.1.1:5000/rootDesc.xml"), InetAddress.getByName("192.168.1.1"));
		assertThat(description.services()).isNotEmpty();
		IgdService best = description.services().get(0);
		assertThat(best.serviceType()).isEqualTo(serviceType);
		assertThat(best.controlUrl().getHost()).isEqualTo("192.168.1.1");
		assertThat(best.controlUrl().getRawPath() + ((best.controlUrl().getRawQuery() != null)
				? "?" + best.controlUrl().getRawQuery() : "")).isEqualTo(controlPath);
		assertThat(description.deviceIds()).hasSize(devices);
	}

	@Test
	void theDslForumServicesOfAMixedDeviceCountToo() throws Exception {
		IgdDescription mitrastar = IgdDescriptionParser.parse(corpus("descriptions/mitrastar-hgw-2501gnu-rc-fragment.xml"),
				URI.create("http://192.168.15.1:5431/igd.xml"), InetAddress.getByName("192.168.15.1"));
		assertThat(mitrastar.services()).extracting(IgdService::serviceType)
			.containsExactly("urn:schemas-upnp-org:service:WANIPConnection:1", "urn:dslforum-org:service:WANPPPConnection:1");
		IgdDescription mikrotik = IgdDescriptionParser.parse(corpus("descriptions/mikrotik-routeros-7.10.xml"),
				URI.create("http://10.0.0.1:2828/"), InetAddress.getByName("10.0.0.1"));
		assertThat(mikrotik.services()).hasSize(2);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "google-wifi-onhub.txt, http://192.168.86.1:5000/rootDesc.xml, a9708184-a6c0-413a-bbac-11bcf7e30ece, 1",
			"pfsense-2.5.txt, http://192.168.1.1:2189/rootDesc.xml, bee7052b-49e8-3597-b545-55a1e38ac11, 1627958564",
			"sagemcom-fast3890v3.txt, http://192.168.0.1:49153/69692b70/gatedesc0b.xml, 75802409-bccb-40e7-8e6c-fa095ecce13e,",
			"huawei.txt, http://192.168.1.1:49652/49652gatedesc.xml, 00e0fc37-2525-2828-2500-0c31dcd93368," })
	void searchAnswersOfRealRoutersAreRead(String file, String location, String uuid, String bootId) throws Exception {
		SsdpMessage answer = SsdpCodec.decode(corpus("ssdp/" + file));
		assertThat(answer.kind()).isEqualTo(SsdpMessage.Kind.SEARCH_RESPONSE);
		assertThat(answer.location()).isEqualTo(location);
		assertThat(IgdDescription.uuidOf(answer.usn())).isEqualTo(uuid);
		assertThat(answer.header("BOOTID.UPNP.ORG")).isEqualTo(bootId);
		assertThat(answer.target()).contains("InternetGatewayDevice");
	}

	@Test
	void aNotifyWithABlankAfterItsStartLineIsRead() throws Exception {
		SsdpMessage notify = SsdpCodec.decode(corpus("ssdp/belkin-blr-tx4s-notify.txt"));
		assertThat(notify.kind()).isEqualTo(SsdpMessage.Kind.NOTIFY);
		assertThat(notify.header("NTS")).isEqualTo("ssdp:alive");
		assertThat(IgdDescription.uuidOf(notify.usn())).isEqualTo("f5c1d177-62e5-45d1-a6e7-542f8a37f428");
	}

	@Test
	void soapAnswersOfRealRoutersAreRead() throws Exception {
		assertThat(success("miniupnpc-GetExternalIPAddress.xml", "GetExternalIPAddress").argument("NewExternalIPAddress"))
			.isEqualTo("1.2.3.4");
		SoapResponse.Success entry = success("miniupnpc-GetSpecificPortMappingEntry.xml", "GetSpecificPortMappingEntry");
		assertThat(entry.argument("NewInternalClient")).isEqualTo("192.168.10.110");
		assertThat(entry.argument("NewLeaseDuration")).isEqualTo("0");
		assertThat(success("tailscale-GetExternalIPAddress-dslforum.xml", "GetExternalIPAddress")
			.argument("NewExternalIPAddress")).isEqualTo("123.123.123.123");
		assertThat(success("tailscale-GetStatusInfo-dslforum.xml", "GetStatusInfo").argument("NewConnectionStatus"))
			.isEqualTo("Connected");
		assertThat(SoapCodec.decodeResponse(corpus("soap/tailscale-AddPortMapping-725.xml"), "AddPortMapping"))
			.isEqualTo(new SoapResponse.Fault(725, "OnlyPermanentLeasesSupported"));
		assertThat(SoapCodec.decodeResponse(corpus("soap/tailscale-AddPortMapping-402.xml"), "AddPortMapping"))
			.isEqualTo(new SoapResponse.Fault(402, "Invalid Args"));
	}

	/** A router in mesh-repeater mode has no external address: empty, which reads as 0.0.0.0, "not connected". */
	@Test
	void anEmptyExternalAddressMeansNone() throws Exception {
		SoapResponse.Success answer = success("mononat-35-mesh-repeater-empty-address.xml", "GetExternalIPAddress");
		assertThat(answer.argument("NewExternalIPAddress")).isEmpty();
		assertThat(UpnpDiscovery.externalAddress(answer)).isEqualTo(InetAddress.getByName("0.0.0.0"));
	}

	/** What Open.NAT #106 and async_upnp_client #63 report of real routers, around a real answer. */
	@Test
	void blanksBeforeTheDeclarationAndNulsAfterTheDocumentAreTolerated() throws Exception {
		byte[] real = corpus("soap/miniupnpc-GetExternalIPAddress.xml");
		byte[] padded = concat("\r\n \t".getBytes(StandardCharsets.US_ASCII), real, new byte[] { 0, 0, 0 });
		assertThat(((SoapResponse.Success) SoapCodec.decodeResponse(padded, "GetExternalIPAddress"))
			.argument("NewExternalIPAddress")).isEqualTo("1.2.3.4");
	}

	private static SoapResponse.Success success(String file, String action) throws Exception {
		return (SoapResponse.Success) SoapCodec.decodeResponse(corpus("soap/" + file), action);
	}

	private static byte[] concat(byte[]... parts) {
		byte[] all = new byte[Arrays.stream(parts).mapToInt((part) -> part.length).sum()];
		int at = 0;
		for (byte[] part : List.of(parts)) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

	static byte[] corpus(String name) {
		try (InputStream in = RouterCorpusTests.class.getResourceAsStream("/dev/natboot/core/corpus/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No corpus file " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
