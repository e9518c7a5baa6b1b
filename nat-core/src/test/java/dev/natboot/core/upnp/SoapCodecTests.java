package dev.natboot.core.upnp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SoapCodecTests {

	private static final String SERVICE = "urn:schemas-upnp-org:service:WANIPConnection:2";

	@Test
	void encodesActionsWithEscapedArgumentsInOrder() {
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("NewExternalPort", "8080");
		arguments.put("NewProtocol", "TCP");
		arguments.put("NewPortMappingDescription", "<app> & \"friends\" 'here'\u0001");
		String body = new String(SoapCodec.encodeRequest(SERVICE, "AddPortMapping", arguments), StandardCharsets.UTF_8);
		assertThat(body).contains("<u:AddPortMapping xmlns:u=\"" + SERVICE + "\"><NewExternalPort>8080</NewExternalPort>"
				+ "<NewProtocol>TCP</NewProtocol><NewPortMappingDescription>&lt;app&gt; &amp; &quot;friends&quot; "
				+ "&apos;here&apos;</NewPortMappingDescription></u:AddPortMapping>");
		assertThat(SoapCodec.soapAction(SERVICE, "AddPortMapping")).isEqualTo("\"" + SERVICE + "#AddPortMapping\"");
	}

	@Test
	void decodesRecordedMiniupnpdAnswers() throws Exception {
		assertThat(decode("miniupnpd-GetExternalIPAddress.xml", "GetExternalIPAddress"))
			.isEqualTo(new SoapResponse.Success(Map.of("NewExternalIPAddress", "11.22.33.1")));
		assertThat(decode("miniupnpd-AddPortMapping.xml", "AddPortMapping")).isEqualTo(new SoapResponse.Success(Map.of()));
		assertThat(decode("miniupnpd-AddAnyPortMapping.xml", "AddAnyPortMapping"))
			.isEqualTo(new SoapResponse.Success(Map.of("NewReservedPort", "9000")));
		SoapResponse.Success entry = (SoapResponse.Success) decode("miniupnpd-GetSpecificPortMappingEntry.xml",
				"GetSpecificPortMappingEntry");
		assertThat(entry.argument("NewInternalClient")).isEqualTo("192.0.2.10");
		assertThat(entry.argument("NewLeaseDuration")).isEqualTo("120");
		assertThat(((SoapResponse.Success) decode("miniupnpd-GetStatusInfo.xml", "GetStatusInfo"))
			.argument("NewConnectionStatus")).isEqualTo("Connected");
	}

	@ParameterizedTest
	@CsvSource({ "miniupnpd-fault-606.xml, 606, Action not authorized", "miniupnpd-fault-714.xml, 714, NoSuchEntryInArray",
			"fault-718.xml, 718, ConflictInMappingEntry", "fault-725.xml, 725, OnlyPermanentLeasesSupported",
			"fault-402.xml, 402, Invalid Args" })
	void decodesFaultsIntoTypedErrors(String fixture, int code, String description) throws Exception {
		assertThat(decode(fixture, "AddPortMapping")).isEqualTo(new SoapResponse.Fault(code, description));
		assertThat(UpnpErrorCode.of(code)).isNotNull();
	}

	@Test
	void readsArgumentsInAnyLetterCase() throws Exception {
		String answer = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
				+ "<u:getexternalipaddressresponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
				+ "<newexternalipaddress>203.0.113.9</newexternalipaddress></u:getexternalipaddressresponse>"
				+ "</s:Body></s:Envelope>";
		SoapResponse.Success success = (SoapResponse.Success) SoapCodec
			.decodeResponse(answer.getBytes(StandardCharsets.UTF_8), "GetExternalIPAddress");
		assertThat(success.argument("NewExternalIPAddress")).isEqualTo("203.0.113.9");
		assertThat(success.argument("NewExternalIpAddress")).isEqualTo("203.0.113.9");
		assertThat(success.argument("NewInternalPort")).isNull();
	}

	@Test
	void readsArgumentsWrittenStraightIntoTheBody() throws Exception {
		String answer = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
				+ "<NewInternalPort>8080</NewInternalPort><NewInternalClient>192.0.2.10</NewInternalClient>"
				+ "</s:Body></s:Envelope>";
		SoapResponse.Success success = (SoapResponse.Success) SoapCodec
			.decodeResponse(answer.getBytes(StandardCharsets.UTF_8), "GetSpecificPortMappingEntry");
		assertThat(success.argument("NewInternalPort")).isEqualTo("8080");
		assertThat(success.argument("NewInternalClient")).isEqualTo("192.0.2.10");
	}

	@Test
	void toleratesBlanksBeforeTheDeclarationAndNulsAfterTheDocument() throws Exception {
		String answer = "\r\n  \t<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<s:Body><u:AddPortMappingResponse xmlns:u=\"x\"/></s:Body></s:Envelope>\r\n\u0000\u0000";
		assertThat(SoapCodec.decodeResponse(answer.getBytes(StandardCharsets.UTF_8), "AddPortMapping"))
			.isEqualTo(new SoapResponse.Success(Map.of()));
		byte[] withBom = ("\uFEFF" + answer.trim()).getBytes(StandardCharsets.UTF_8);
		assertThat(SoapCodec.decodeResponse(withBom, "AddPortMapping")).isEqualTo(new SoapResponse.Success(Map.of()));
	}

	@Test
	void boundsNestingWithoutUsingTheStack() {
		String deep = "<s:Envelope xmlns:s=\"x\"><s:Body><s:Fault>" + "<d>".repeat(7_000) + "</d>".repeat(7_000)
				+ "</s:Fault></s:Body></s:Envelope>";
		assertMalformed(deep, "not well-formed");
	}

	@Test
	void rejectsAnswersThatAreNotSoap() {
		assertMalformed("<html/>", "no Envelope/Body");
		assertMalformed("<s:Envelope xmlns:s=\"x\"><s:Body/></s:Envelope>", "empty Body");
		assertMalformed("<s:Envelope xmlns:s=\"x\"><s:Body><u:OtherResponse xmlns:u=\"y\"/></s:Body></s:Envelope>",
				"is <OtherResponse>");
		assertMalformed("<s:Envelope xmlns:s=\"x\"><s:Body><a><b>1</b></a></s:Body></s:Envelope>", "is <a>");
		assertMalformed("<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"http://203.0.113.1/x.dtd\"><x/>", "DOCTYPE");
		assertMalformed("not xml", "not well-formed");
	}

	private static SoapResponse decode(String fixture, String action) throws MalformedMessageException {
		return SoapCodec.decodeResponse(Fixtures.bytes(fixture), action);
	}

	private static void assertMalformed(String body, String message) {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> SoapCodec.decodeResponse(body.getBytes(StandardCharsets.UTF_8), "AddPortMapping"))
			.withMessageContaining(message);
	}

}
