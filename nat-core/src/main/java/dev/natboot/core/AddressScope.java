package dev.natboot.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * Where an external address reported by a router can be reached from. A router whose "external" address is
 * private or shared sits behind another NAT: a mapping on it does not make the application reachable from
 * the internet.
 */
public enum AddressScope {

	/** Reachable from the internet (as far as the address tells). */
	PUBLIC,

	/** RFC 1918 private, or IPv6 unique local: the router is behind another NAT. */
	PRIVATE,

	/** 100.64.0.0/10, shared by carrier-grade NAT (RFC 6598). */
	SHARED,

	/** 0.0.0.0 or :: : the router has no external address (not connected). */
	UNSPECIFIED,

	/** Loopback or link-local. */
	LOCAL,

	/** Missing or not an IP address. */
	INVALID;

	/**
	 * Classifies an address.
	 * @param address the address
	 * @return its scope
	 */
	public static AddressScope of(InetAddress address) {
		if (address.isAnyLocalAddress()) {
			return UNSPECIFIED;
		}
		if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
			return LOCAL;
		}
		if (address.isSiteLocalAddress()) {
			return PRIVATE;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			if ((bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
				return SHARED;
			}
		}
		else if ((bytes[0] & 0xfe) == 0xfc) {
			return PRIVATE;
		}
		return PUBLIC;
	}

	/**
	 * Classifies an address given as text by a router, without any DNS lookup.
	 * @param text an IPv4 or IPv6 literal
	 * @return its scope, {@link #INVALID} if it is not a literal
	 */
	public static AddressScope parse(@Nullable String text) {
		InetAddress address = literal(text);
		return (address != null) ? of(address) : INVALID;
	}

	/**
	 * Parses an IP literal as routers write it, never resolving a name.
	 * @param text the literal
	 * @return the address, or {@code null} if it is not a literal
	 */
	public static @Nullable InetAddress literal(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String trimmed = text.trim();
		boolean ipv4 = trimmed.matches("\\d{1,3}(\\.\\d{1,3}){3}");
		boolean ipv6 = trimmed.indexOf(':') >= 0 && trimmed.matches("[0-9a-fA-F:.]+");
		if (!ipv4 && !ipv6) {
			return null;
		}
		try {
			if (ipv4) {
				String[] parts = trimmed.split("\\.");
				byte[] bytes = new byte[4];
				for (int i = 0; i < 4; i++) {
					int octet = Integer.parseInt(parts[i]);
					if (octet > 255) {
						return null;
					}
					bytes[i] = (byte) octet;
				}
				return InetAddress.getByAddress(bytes);
			}
			return InetAddress.getByName(trimmed);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * Whether an application mapped behind this address is reachable from the internet.
	 * @return true only for {@link #PUBLIC}
	 */
	public boolean isReachableFromInternet() {
		return this == PUBLIC;
	}

}
