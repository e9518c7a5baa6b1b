package dev.natboot.core.upnp;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** IGD v2's WANIPv6FirewallControl found in miniupnpd's description as it serves it over IPv6. */
class FirewallControlTests {

	private static final URI LOCATION = URI.create("http://[2001:db8:1::1]:5000/rootDesc.xml");

	@Test
	void findsTheFirewallControlServicePinnedToTheRouter() throws Exception {
		InetAddress router = InetAddress.getByName("2001:db8:1::1");
		IgdService service = IgdDescriptionParser
			.firewallControl(Fixtures.bytes("miniupnpd-rootDesc-ipv6.xml"), LOCATION, router)
			.orElseThrow();
		assertThat(service.serviceType()).isEqualTo(IgdDescriptionParser.FIREWALL_CONTROL);
		assertThat(service.controlUrl().getHost()).isEqualTo("[2001:db8:1:0:0:0:0:1]");
		assertThat(service.controlUrl().getPort()).isEqualTo(5000);
	}

	@Test
	void aControlUrlNamingAnotherHostIsPinnedToTheRouterAnyway() throws Exception {
		String xml = """
				<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
				<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType><deviceList><device>
				<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPv6FirewallControl:1</serviceType>
				<controlURL>http://[2001:db8:9::66]:80/steal</controlURL></service></serviceList></device></deviceList>
				</device></root>""";
		IgdService service = IgdDescriptionParser
			.firewallControl(xml.getBytes(StandardCharsets.UTF_8), LOCATION, InetAddress.getByName("2001:db8:1::1"))
			.orElseThrow();
		assertThat(service.controlUrl().toString()).isEqualTo("http://[2001:db8:1:0:0:0:0:1]:80/steal");
	}

	@Test
	void aDeviceWithoutOneHasNone() throws Exception {
		assertThat(IgdDescriptionParser.firewallControl(Fixtures.bytes("ppp-nested-desc.xml"), LOCATION,
				InetAddress.getByName("2001:db8:1::1"))).isEmpty();
	}

	@Test
	void hostileDocumentsAreRefused() {
		String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><root><device>&x;"
				+ "</device></root>";
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> IgdDescriptionParser
			.firewallControl(xxe.getBytes(StandardCharsets.UTF_8), LOCATION, InetAddress.getByName("2001:db8:1::1")));
	}

}
