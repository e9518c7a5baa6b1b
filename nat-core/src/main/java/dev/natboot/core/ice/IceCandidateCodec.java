package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Candidate lines (RFC 8839 section 5.1, RFC 6544 section 4.5 for {@code tcptype}) to and from
 * {@link IceCandidate}s. A line comes from the peer, over whatever signalling the application has: it is bounded in
 * length and number of extensions, its numbers in range, and its address is never resolved.
 */
final class IceCandidateCodec {

	/** Longest candidate line read: real ones are under 200 characters. */
	static final int MAX_LINE_LENGTH = 1024;

	/** Most extension attributes read on one line. */
	static final int MAX_EXTENSIONS = 16;

	private IceCandidateCodec() {
	}

	static String format(IceCandidate candidate) {
		StringBuilder line = new StringBuilder(128).append("candidate:")
			.append(candidate.foundation())
			.append(' ')
			.append(candidate.component())
			.append(' ')
			.append(candidate.transport().name())
			.append(' ')
			.append(candidate.priority())
			.append(' ')
			.append(candidate.address())
			.append(' ')
			.append(candidate.port())
			.append(" typ ")
			.append(candidate.type().sdpName());
		InetSocketAddress related = candidate.related();
		if (related != null) {
			line.append(" raddr ").append(IpLiteral.format(related.getAddress())).append(" rport ").append(related.getPort());
		}
		IceTcpType tcpType = candidate.tcpType();
		if (tcpType != null) {
			line.append(" tcptype ").append(tcpType.sdpName());
		}
		candidate.extensions().forEach((name, value) -> line.append(' ').append(name).append(' ').append(value));
		return line.toString();
	}

	static IceCandidate parse(String line) throws MalformedMessageException {
		if (line.length() > MAX_LINE_LENGTH) {
			throw new MalformedMessageException("Candidate line of " + line.length() + " characters");
		}
		String text = line.strip();
		if (text.startsWith("a=")) {
			text = text.substring(2);
		}
		if (text.regionMatches(true, 0, "candidate:", 0, 10)) {
			text = text.substring(10);
		}
		// without "candidate:", as aioice and pion write a candidate on its own
		String[] fields = text.split("[ \t]+");
		if (fields.length < 8 || !fields[6].equalsIgnoreCase("typ")) {
			throw new MalformedMessageException("Candidate line without its eight fields: " + excerpt(line));
		}
		String foundation = fields[0];
		if (!IceChars.isIceChars(foundation, 1, 32)) {
			throw new MalformedMessageException("Candidate foundation is not 1 to 32 ice-chars: " + excerpt(line));
		}
		int component = (int) number(fields[1], 3, 1, 256, "component", line);
		Transport transport = switch (fields[2].toUpperCase(Locale.ROOT)) {
			case "UDP" -> Transport.UDP;
			case "TCP" -> Transport.TCP;
			default -> throw new MalformedMessageException("Candidate transport " + excerpt(fields[2])
					+ " is neither UDP nor TCP");
		};
		long priority = number(fields[3], 10, 1, 0xffffffffL, "priority", line);
		String address = fields[4];
		if (!isConnectionAddress(address)) {
			throw new MalformedMessageException("Candidate address is neither an IP literal nor a name: "
					+ excerpt(line));
		}
		int port = (int) number(fields[5], 5, 0, 65535, "port", line);
		IceCandidateType type = IceCandidateType.ofSdpName(fields[7]);
		if (type == null) {
			throw new MalformedMessageException("Candidate type " + excerpt(fields[7]) + " is unknown");
		}
		String relatedAddress = null;
		int relatedPort = -1;
		IceTcpType tcpType = null;
		Map<String, String> extensions = new LinkedHashMap<>();
		for (int i = 8; i < fields.length; i += 2) {
			if (i + 1 >= fields.length) {
				throw new MalformedMessageException("Candidate attribute " + excerpt(fields[i]) + " without a value");
			}
			String name = fields[i];
			String value = fields[i + 1];
			boolean again = (name.equalsIgnoreCase("raddr") && relatedAddress != null)
					|| (name.equalsIgnoreCase("rport") && relatedPort >= 0)
					|| (name.equalsIgnoreCase("tcptype") && tcpType != null);
			if (again) {
				throw new MalformedMessageException("Candidate line with " + excerpt(name) + " twice: " + excerpt(line));
			}
			if (name.equalsIgnoreCase("raddr")) {
				relatedAddress = value;
			}
			else if (name.equalsIgnoreCase("rport")) {
				relatedPort = (int) number(value, 5, 0, 65535, "rport", line);
			}
			else if (name.equalsIgnoreCase("tcptype") && transport == Transport.TCP) {
				tcpType = IceTcpType.ofSdpName(value);
				if (tcpType == null) {
					throw new MalformedMessageException("Candidate tcptype " + excerpt(value) + " is unknown");
				}
			}
			else if (extensions.size() < MAX_EXTENSIONS && isExtension(name, value)) {
				extensions.putIfAbsent(name, value);
			}
			else {
				throw new MalformedMessageException("Candidate line with more than " + MAX_EXTENSIONS
						+ " extensions, one that is not a token and a value, or a tcptype or typ where none belongs: "
						+ excerpt(line));
			}
		}
		if (transport == Transport.TCP && tcpType == null) {
			throw new MalformedMessageException("TCP candidate without a tcptype: " + excerpt(line));
		}
		return new IceCandidate(foundation, component, transport, priority, address, port, type,
				related(relatedAddress, relatedPort), tcpType, extensions);
	}

	/** raddr and rport as an address; a name or a missing half gives none (it is informative only). */
	private static @Nullable InetSocketAddress related(@Nullable String address, int port) {
		InetAddress ip = IpLiteral.parse(address);
		return (ip != null && port >= 0) ? new InetSocketAddress(ip, port) : null;
	}

	private static long number(String text, int maxDigits, long min, long max, String what, String line)
			throws MalformedMessageException {
		if (text.isEmpty() || text.length() > maxDigits) {
			throw new MalformedMessageException("Candidate " + what + " is not a number of 1 to " + maxDigits
					+ " digits: " + excerpt(line));
		}
		long value = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				throw new MalformedMessageException("Candidate " + what + " is not a number: " + excerpt(line));
			}
			value = value * 10 + (c - '0');
		}
		if (value < min || value > max) {
			throw new MalformedMessageException("Candidate " + what + " " + value + " is not " + min + " to " + max);
		}
		return value;
	}

	/** An extension attribute that reads back as itself: not one of the names the codec reads itself. */
	static boolean isExtension(String name, String value) {
		return isToken(name) && isVisible(value) && !name.equalsIgnoreCase("raddr") && !name.equalsIgnoreCase("rport")
				&& !name.equalsIgnoreCase("tcptype") && !name.equalsIgnoreCase("typ");
	}

	/** An IPv4 or IPv6 literal, or what may be a DNS name (letters, digits, hyphens, dots). */
	static boolean isConnectionAddress(String address) {
		if (address.length() > IceChars.MAX_ADDRESS_LENGTH) {
			return false;
		}
		if (IpLiteral.parse(address) != null) {
			return !address.startsWith("[");
		}
		for (int i = 0; i < address.length(); i++) {
			char c = address.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
				return false;
			}
		}
		return !address.isEmpty();
	}

	private static boolean isToken(String text) {
		if (text.length() > 64) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	private static boolean isVisible(String text) {
		if (text.length() > 256) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c <= 0x20 || c >= 0x7f) {
				return false;
			}
		}
		return true;
	}

	/** A peer's text in an error message: bounded, and only printable ASCII. */
	static String excerpt(String text) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < Math.min(text.length(), 120); i++) {
			char c = text.charAt(i);
			out.append((c >= 0x20 && c < 0x7f) ? c : '?');
		}
		return (text.length() > 120) ? out.append("...").toString() : out.toString();
	}

}
