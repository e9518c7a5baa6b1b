package dev.natboot.core;

import java.net.Inet4Address;
import java.net.InetAddress;

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
		InetAddress address = IpLiteral.parse(text);
		return (address != null) ? of(address) : INVALID;
	}

	/**
	 * Whether an application mapped behind this address is reachable from the internet.
	 * @return true only for {@link #PUBLIC}
	 */
	public boolean isReachableFromInternet() {
		return this == PUBLIC;
	}

}
