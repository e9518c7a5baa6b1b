package dev.natboot.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals as configuration and routers write them, and never anything else: unlike
 * {@link InetAddress#getByName(String)}, a name is never looked up.
 */
public final class IpLiteral {

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

	private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private IpLiteral() {
	}

	/**
	 * An IPv4 or IPv6 literal; IPv6 may be in brackets.
	 * @param text the text
	 * @return the address, or {@code null} if the text is not a literal
	 */
	public static @Nullable InetAddress parse(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String trimmed = text.trim();
		if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
			trimmed = trimmed.substring(1, trimmed.length() - 1);
		}
		InetAddress ipv4 = parseIpv4(trimmed);
		if (ipv4 != null || !IPV6.matcher(trimmed).matches()) {
			return ipv4;
		}
		try {
			// A string with ':' is parsed as an IPv6 literal, never looked up.
			return InetAddress.getByName(trimmed);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * A dotted-quad IPv4 literal.
	 * @param text the text
	 * @return the address, or {@code null} if the text is not one
	 */
	public static @Nullable InetAddress parseIpv4(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = IPV4.matcher(text.trim());
		if (!matcher.matches()) {
			return null;
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			int octet = Integer.parseInt(matcher.group(i + 1));
			if (octet > 255) {
				return null;
			}
			bytes[i] = (byte) octet;
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex); // cannot happen for 4 octets
		}
	}

}
