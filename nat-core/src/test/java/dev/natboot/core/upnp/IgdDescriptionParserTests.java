package dev.natboot.core.upnp;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IgdDescriptionParserTests {

	private static final URI LOCATION = URI.create("http://192.0.2.1:5000/rootDesc.xml");

	@Test
	void findsTheServiceOfMiniupnpdsIgdV2() throws Exception {
		IgdDescription description = parse("miniupnpd-igd2-rootDesc.xml", LOCATION, "192.0.2.1");
		assertThat(description.deviceType()).isEqualTo(SsdpCodec.IGD_V2);
		assertThat(description.friendlyName()).isEqualTo("natlab router");
		assertThat(description.services()).containsExactly(new IgdService(
				"urn:schemas-upnp-org:service:WANIPConnection:2", URI.create("http://192.0.2.1:5000/ctl/IPConn")));
		assertThat(description.services().get(0).version()).isEqualTo(2);
	}

	@Test
	void findsTheServiceOfMiniupnpdsIgdV1() throws Exception {
		IgdDescription description = parse("miniupnpd-igd1-rootDesc.xml", LOCATION, "192.0.2.1");
		assertThat(description.services()).extracting(IgdService::serviceType)
			.containsExactly("urn:schemas-upnp-org:service:WANIPConnection:1");
	}

	@Test
	void findsPppAndIpInNestedDevicesAndPinsEveryUrlToTheDevice() throws Exception {
		IgdDescription description = parse("ppp-nested-desc.xml", URI.create("http://192.168.178.1:49000/igddesc.xml"),
				"192.168.178.1");
		assertThat(description.services()).containsExactly(
				new IgdService("urn:schemas-upnp-org:service:WANIPConnection:1",
						URI.create("http://192.168.178.1:49000/igdupnp/control/WANIPConn1")),
				// The description named another host: the client still only talks to the device.
				new IgdService("urn:schemas-upnp-org:service:WANPPPConnection:1",
						URI.create("http://192.168.178.1:49000/igdupnp/control/WANPPPConn1")));
		assertThat(description.services().get(1).isPpp()).isTrue();
	}

	@Test
	void toleratesOddCasingPrefixesAndWhitespaceButDropsNonHttpUrls() throws Exception {
		IgdDescription description = parse("odd-casing-desc.xml", URI.create("http://10.0.0.1:80/dir/desc.xml"),
				"10.0.0.1");
		assertThat(description.friendlyName()).isEqualTo("Odd & Cased");
		assertThat(description.services()).containsExactly(new IgdService(
				"urn:schemas-upnp-org:service:WANIPConnection:2", URI.create("http://10.0.0.1:80/dir/ctl/ipc?x=1")));
	}

	@Test
	void refusesExternalEntitiesAndReadsNoFile(@TempDir Path directory) throws Exception {
		Path secret = Files.writeString(directory.resolve("secret.txt"), "TOP-SECRET");
		String xxe = "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]>"
				+ "<root><device><deviceType>x</deviceType><friendlyName>&leak;</friendlyName></device></root>";
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IgdDescriptionParser.parse(xxe.getBytes(StandardCharsets.UTF_8), LOCATION,
					InetAddress.getByName("192.0.2.1")))
			.withMessageContaining("DOCTYPE")
			.withMessageNotContaining("TOP-SECRET");
	}

	@Test
	void refusesEntityExpansionBombs() {
		String bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
				+ "<root><device><friendlyName>&b;&b;&b;</friendlyName></device></root>";
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(
				() -> IgdDescriptionParser.parse(bomb.getBytes(StandardCharsets.UTF_8), LOCATION, InetAddress.getByName("192.0.2.1")));
	}

	@Test
	void boundsSizeAndNesting() {
		byte[] huge = ("<root><device>" + " ".repeat(IgdDescriptionParser.MAX_LENGTH) + "</device></root>")
			.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IgdDescriptionParser.parse(huge, LOCATION, InetAddress.getByName("192.0.2.1")))
			.withMessageContaining("exceeds");
		String deep = "<root>" + "<device><deviceList>".repeat(12) + "</deviceList></device>".repeat(12) + "</root>";
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IgdDescriptionParser.parse(deep.getBytes(StandardCharsets.UTF_8), LOCATION,
					InetAddress.getByName("192.0.2.1")))
			.withMessageContaining("deeper");
	}

	@Test
	void anElementNestedThousandsDeepIsRefusedByTheParser() {
		String deep = "<root><device>" + "<x>".repeat(18_000) + "</x>".repeat(18_000) + "</device></root>";
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IgdDescriptionParser.parse(deep.getBytes(StandardCharsets.UTF_8), LOCATION,
					InetAddress.getByName("192.0.2.1")))
			.withMessageContaining("not well-formed");
	}

	@Test
	void collectsTheUuidOfEveryDevice() throws Exception {
		IgdDescription description = parse("miniupnpd-igd2-rootDesc.xml", LOCATION, "192.0.2.1");
		assertThat(description.deviceIds()).hasSize(3).allSatisfy((id) -> assertThat(id).doesNotStartWith("uuid:"));
		assertThat(IgdDescription.uuidOf("uuid:ABC-1::urn:schemas-upnp-org:device:InternetGatewayDevice:2")).isEqualTo("abc-1");
		assertThat(IgdDescription.uuidOf("uuid:abc-1")).isEqualTo("abc-1");
		assertThat(IgdDescription.uuidOf("urn:x")).isNull();
		assertThat(IgdDescription.uuidOf(null)).isNull();
		// found by fuzzing: the "::" separator overlapping the prefix
		assertThat(IgdDescription.uuidOf("uuid::urn:x")).isNull();
		assertThat(IgdDescription.uuidOf("uuid:")).isNull();
		assertThat(IgdDescription.uuidOf(" UUID:Ab:: ")).isEqualTo("ab");
	}

	@Test
	void rejectsDocumentsThatAreNotDescriptions() {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> IgdDescriptionParser
			.parse("<html/>".getBytes(StandardCharsets.UTF_8), LOCATION, InetAddress.getByName("192.0.2.1")));
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> IgdDescriptionParser
			.parse("<root><device>".getBytes(StandardCharsets.UTF_8), LOCATION, InetAddress.getByName("192.0.2.1")));
	}

	@Test
	void pinsUrlsToTheDevice() throws Exception {
		InetAddress device = InetAddress.getByName("192.0.2.1");
		assertThat(IgdDescriptionParser.pin(LOCATION, "http://evil.example:8080/x", device))
			.isEqualTo(URI.create("http://192.0.2.1:8080/x"));
		assertThat(IgdDescriptionParser.pin(LOCATION, "https://192.0.2.1/x", device)).isNull();
		assertThat(IgdDescriptionParser.pin(LOCATION, "jar:file:/x!/y", device)).isNull();
		assertThat(IgdDescriptionParser.pin(LOCATION, "ctl", device)).isEqualTo(URI.create("http://192.0.2.1:5000/ctl"));
	}

	private static IgdDescription parse(String fixture, URI location, String device) throws Exception {
		return IgdDescriptionParser.parse(Fixtures.bytes(fixture), location, InetAddress.getByName(device));
	}

}
