package dev.natboot.core.upnp;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.natboot.core.MalformedMessageException;

/**
 * Encodes M-SEARCH requests and decodes SSDP answers and announcements (UPnP Device Architecture 1.1,
 * section 1). Decoding is bounded: the datagram size, the number of header lines and their length.
 */
public final class SsdpCodec {

	/** The SSDP multicast group and port. */
	public static final String MULTICAST_HOST = "239.255.255.250";

	public static final int PORT = 1900;

	/** Search target of an IGD v1 root device. */
	public static final String IGD_V1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

	/** Search target of an IGD v2 root device. */
	public static final String IGD_V2 = "urn:schemas-upnp-org:device:InternetGatewayDevice:2";

	/** Largest datagram accepted. */
	public static final int MAX_MESSAGE_LENGTH = 4096;

	private static final int MAX_HEADERS = 40;

	private SsdpCodec() {
	}

	/**
	 * An M-SEARCH request.
	 * @param searchTarget the ST, for example {@link #IGD_V2} or {@code ssdp:all}
	 * @param host value of the HOST header: the multicast group, or the device for a unicast search
	 * @param maxWaitSeconds MX, how long responders may wait; 0 leaves MX out, as for a unicast search
	 * @return the datagram
	 */
	public static byte[] mSearch(String searchTarget, String host, int maxWaitSeconds) {
		StringBuilder request = new StringBuilder("M-SEARCH * HTTP/1.1\r\n").append("HOST: ")
			.append(host)
			.append("\r\n")
			.append("MAN: \"ssdp:discover\"\r\n");
		if (maxWaitSeconds > 0) {
			request.append("MX: ").append(maxWaitSeconds).append("\r\n");
		}
		request.append("ST: ").append(searchTarget).append("\r\n\r\n");
		return request.toString().getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Decodes an answer or an announcement.
	 * @param data the datagram
	 * @return the message
	 * @throws MalformedMessageException if it is neither, or exceeds the bounds
	 */
	public static SsdpMessage decode(byte[] data) throws MalformedMessageException {
		if (data.length > MAX_MESSAGE_LENGTH) {
			throw new MalformedMessageException("SSDP message of " + data.length + " octets is too long");
		}
		String text = new String(data, StandardCharsets.ISO_8859_1);
		int headerEnd = text.indexOf("\r\n\r\n");
		String[] lines = ((headerEnd >= 0) ? text.substring(0, headerEnd) : text).split("\r?\n", -1);
		String start = lines[0].trim();
		SsdpMessage.Kind kind;
		if (start.matches("(?i)HTTP/1\\.[01] 200( .*)?")) {
			kind = SsdpMessage.Kind.SEARCH_RESPONSE;
		}
		else if (start.equalsIgnoreCase("NOTIFY * HTTP/1.1")) {
			kind = SsdpMessage.Kind.NOTIFY;
		}
		else {
			throw new MalformedMessageException("Not an SSDP answer or announcement: '" + abbreviate(start) + "'");
		}
		if (lines.length - 1 > MAX_HEADERS) {
			throw new MalformedMessageException("SSDP message has more than " + MAX_HEADERS + " header lines");
		}
		Map<String, String> headers = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i];
			if (line.isBlank()) {
				continue;
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new MalformedMessageException("SSDP header line without a name: '" + abbreviate(line) + "'");
			}
			headers.putIfAbsent(line.substring(0, colon).trim().toUpperCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return new SsdpMessage(kind, headers);
	}

	private static String abbreviate(String text) {
		String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
		return (printable.length() > 60) ? printable.substring(0, 60) + "..." : printable;
	}

}
