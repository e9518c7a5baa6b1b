package dev.natboot.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals as configuration and routers write them, and never anything else. The text is
 * turned into bytes here and handed to {@link InetAddress#getByAddress(byte[])}: unlike
 * {@link InetAddress#getByName(String)}, nothing can ever be looked up, whatever the text. IPv4-mapped IPv6
 * literals ({@code ::ffff:192.0.2.1}) become the IPv4 address, as routers that report an IPv4 address in IPv6
 * form mean. Zone identifiers ({@code fe80::1%eth0}) are refused: no router or server address needs one.
 */
public final class IpLiteral {

	/** Longest text worth reading: a full IPv6 literal with an embedded IPv4 address, in brackets, with blanks. */
	private static final int MAX_LENGTH = 64;

	private IpLiteral() {
	}

	/**
	 * An address as people read it: IPv4 dotted, IPv6 in RFC 5952's canonical form (lower case, the longest run
	 * of two or more zero groups as {@code ::}, leading zeros dropped), with its zone when it has one. Java's
	 * {@link InetAddress#getHostAddress()} writes every group ({@code 2001:db8:1:0:0:0:0:10}).
	 * @param address the address
	 * @return its text
	 */
	public static String format(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length != 16) {
			return address.getHostAddress();
		}
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = (j == i) ? i + 1 : j;
		}
		StringBuilder text = new StringBuilder(39);
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		if (address instanceof Inet6Address v6) {
			if (v6.getScopedInterface() != null) {
				text.append('%').append(v6.getScopedInterface().getName());
			}
			else if (v6.getScopeId() != 0) {
				text.append('%').append(v6.getScopeId());
			}
		}
		return text.toString();
	}

	/**
	 * An endpoint as people and URLs write it: {@code 192.0.2.1:8080}, {@code [2001:db8::1]:8080}.
	 * @param address the address
	 * @param port the port
	 * @return its text
	 */
	public static String endpoint(InetAddress address, int port) {
		String host = format(address);
		return ((address.getAddress().length == 16) ? "[" + host + "]" : host) + ":" + port;
	}

	/**
	 * An IPv4 or IPv6 literal; IPv6 may be in brackets.
	 * @param text the text
	 * @return the address, or {@code null} if the text is not a literal
	 */
	public static @Nullable InetAddress parse(@Nullable String text) {
		if (text == null || text.length() > MAX_LENGTH) {
			return null;
		}
		String trimmed = text.trim();
		if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
			trimmed = trimmed.substring(1, trimmed.length() - 1);
		}
		byte[] bytes = (trimmed.indexOf(':') >= 0) ? ipv6Bytes(trimmed) : ipv4Bytes(trimmed);
		return (bytes != null) ? address(bytes) : null;
	}

	/**
	 * A dotted-quad IPv4 literal.
	 * @param text the text
	 * @return the address, or {@code null} if the text is not one
	 */
	public static @Nullable InetAddress parseIpv4(@Nullable String text) {
		if (text == null || text.length() > MAX_LENGTH) {
			return null;
		}
		byte[] bytes = ipv4Bytes(text.trim());
		return (bytes != null) ? address(bytes) : null;
	}

	/** Four decimal octets of one to three digits each, separated by dots; nothing else. */
	private static byte @Nullable [] ipv4Bytes(String text) {
		byte[] bytes = new byte[4];
		int octet = 0;
		int digits = 0;
		int value = 0;
		for (int i = 0; i <= text.length(); i++) {
			char c = (i < text.length()) ? text.charAt(i) : '.';
			if (c >= '0' && c <= '9') {
				if (++digits > 3) {
					return null;
				}
				value = value * 10 + (c - '0');
			}
			else if (c == '.') {
				if (digits == 0 || value > 255 || octet > 3) {
					return null;
				}
				bytes[octet++] = (byte) value;
				digits = 0;
				value = 0;
			}
			else {
				return null;
			}
		}
		return (octet == 4) ? bytes : null;
	}

	/**
	 * RFC 4291 section 2.2: eight groups of one to four hex digits, at most one "::" standing for one or more
	 * zero groups, and optionally a dotted-quad IPv4 address in place of the last two groups.
	 */
	private static byte @Nullable [] ipv6Bytes(String text) {
		int elision = text.indexOf("::");
		if (elision >= 0 && text.indexOf("::", elision + 1) >= 0) {
			return null;
		}
		String head = (elision >= 0) ? text.substring(0, elision) : text;
		String tail = (elision >= 0) ? text.substring(elision + 2) : "";
		int[] headGroups = groups(head, elision < 0);
		int[] tailGroups = groups(tail, true);
		if (headGroups == null || tailGroups == null) {
			return null;
		}
		int total = headGroups.length + tailGroups.length;
		if ((elision < 0 && total != 8) || (elision >= 0 && total > 7)) {
			return null;
		}
		byte[] bytes = new byte[16];
		for (int i = 0; i < headGroups.length; i++) {
			bytes[2 * i] = (byte) (headGroups[i] >> 8);
			bytes[2 * i + 1] = (byte) headGroups[i];
		}
		int offset = 8 - tailGroups.length;
		for (int i = 0; i < tailGroups.length; i++) {
			bytes[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
			bytes[2 * (offset + i) + 1] = (byte) tailGroups[i];
		}
		return bytes;
	}

	/**
	 * The 16-bit groups of one side of an IPv6 literal; an embedded IPv4 address counts as two groups and is
	 * allowed only at the very end of the literal.
	 */
	private static int @Nullable [] groups(String side, boolean endsLiteral) {
		if (side.isEmpty()) {
			return new int[0];
		}
		String[] parts = side.split(":", -1);
		if (parts.length > 8) {
			return null;
		}
		int[] values = new int[parts.length + 1];
		int count = 0;
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			if (part.indexOf('.') >= 0) {
				byte[] ipv4 = (i == parts.length - 1 && endsLiteral) ? ipv4Bytes(part) : null;
				if (ipv4 == null) {
					return null;
				}
				values[count++] = ((ipv4[0] & 0xff) << 8) | (ipv4[1] & 0xff);
				values[count++] = ((ipv4[2] & 0xff) << 8) | (ipv4[3] & 0xff);
				continue;
			}
			if (part.isEmpty() || part.length() > 4) {
				return null;
			}
			int value = 0;
			for (int j = 0; j < part.length(); j++) {
				int digit = Character.digit(part.charAt(j), 16);
				if (digit < 0) {
					return null;
				}
				value = (value << 4) | digit;
			}
			values[count++] = value;
		}
		return java.util.Arrays.copyOf(values, count);
	}

	private static InetAddress address(byte[] bytes) {
		try {
			// A 16-octet IPv4-mapped address comes back as the IPv4 address itself.
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex); // only for a length other than 4 or 16
		}
	}

}
