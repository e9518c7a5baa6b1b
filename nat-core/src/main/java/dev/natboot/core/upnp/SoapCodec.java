package dev.natboot.core.upnp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.natboot.core.MalformedMessageException;

/**
 * Encodes UPnP SOAP requests (UDA 1.1 section 3.2) and decodes their answers and faults.
 */
public final class SoapCodec {

	/** Largest SOAP answer accepted. */
	public static final int MAX_RESPONSE_LENGTH = 64 * 1024;

	private SoapCodec() {
	}

	/**
	 * The body of a SOAP request; every argument value is XML-escaped.
	 * @param serviceType the service, for example {@code urn:schemas-upnp-org:service:WANIPConnection:2}
	 * @param action the action, for example {@code AddPortMapping}
	 * @param arguments input arguments in the order the service defines
	 * @return the request body
	 */
	public static byte[] encodeRequest(String serviceType, String action, Map<String, String> arguments) {
		StringBuilder body = new StringBuilder("<?xml version=\"1.0\"?>\r\n")
			.append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" ")
			.append("s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>")
			.append("<u:").append(action).append(" xmlns:u=\"").append(escape(serviceType)).append("\">");
		arguments.forEach((name, value) -> body.append('<').append(name).append('>').append(escape(value))
			.append("</").append(name).append('>'));
		body.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n");
		return body.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The SOAPACTION header value: the service type and action, in double quotes as UDA requires.
	 * @param serviceType the service
	 * @param action the action
	 * @return the quoted header value
	 */
	public static String soapAction(String serviceType, String action) {
		return "\"" + serviceType + "#" + action + "\"";
	}

	/**
	 * Decodes the answer to an action. Besides the standard form, some routers' answers are read as they mean
	 * them: argument names in another letter case, and output arguments written straight into the Body instead
	 * of inside the {@code <ActionResponse>} element.
	 * @param body the HTTP body (of a 200 or a 500 answer)
	 * @param action the action that was called
	 * @return output arguments, or the fault
	 * @throws MalformedMessageException if it is neither, or the answer to another action
	 */
	public static SoapResponse decodeResponse(byte[] body, String action) throws MalformedMessageException {
		XmlElement envelope = SafeXml.parse(body, MAX_RESPONSE_LENGTH, "SOAP answer to " + action);
		XmlElement soapBody = SafeXml.child(envelope, "Body");
		if (!SafeXml.localName(envelope).equalsIgnoreCase("Envelope") || soapBody == null) {
			throw new MalformedMessageException("SOAP answer to " + action + " has no Envelope/Body");
		}
		List<XmlElement> contents = SafeXml.children(soapBody);
		XmlElement first = contents.isEmpty() ? null : contents.get(0);
		if (first == null) {
			throw new MalformedMessageException("SOAP answer to " + action + " has an empty Body");
		}
		String name = SafeXml.localName(first);
		if (name.equalsIgnoreCase("Fault")) {
			return fault(first);
		}
		List<XmlElement> arguments;
		if (name.equalsIgnoreCase(action + "Response")) {
			arguments = SafeXml.children(first);
		}
		else if (name.regionMatches(true, Math.max(0, name.length() - 8), "Response", 0, 8) || !allLeaves(contents)) {
			throw new MalformedMessageException("SOAP answer to " + action + " is <" + name + ">");
		}
		else {
			arguments = contents;
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (XmlElement argument : arguments) {
			values.putIfAbsent(SafeXml.localName(argument), argument.textContent().trim());
		}
		return new SoapResponse.Success(values);
	}

	private static boolean allLeaves(List<XmlElement> elements) {
		return elements.stream().allMatch((element) -> SafeXml.children(element).isEmpty());
	}

	private static SoapResponse.Fault fault(XmlElement fault) {
		XmlElement code = SafeXml.find(fault, "errorCode");
		XmlElement description = SafeXml.find(fault, "errorDescription");
		int errorCode = -1;
		if (code != null) {
			try {
				errorCode = Integer.parseInt(code.textContent().trim());
			}
			catch (NumberFormatException ex) {
				errorCode = -1;
			}
		}
		String text = (description != null) ? description.textContent().trim()
				: String.valueOf(SafeXml.childText(fault, "faultstring"));
		return new SoapResponse.Fault(errorCode, text);
	}

	static String escape(String value) {
		StringBuilder escaped = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&apos;");
				default -> {
					// Control characters other than tab, CR and LF are not allowed in XML 1.0 at all.
					if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

}
