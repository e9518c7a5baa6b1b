package dev.natboot.core.stun;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;

/**
 * A STUN server as configured: a host name or IP literal and a port, resolved only when used.
 *
 * @param host a host name or an IP literal (IPv6 without brackets)
 * @param port the port, 3478 by default
 */
public record StunServer(String host, int port) {

	/** The port STUN servers listen on (RFC 8489 section 9). */
	public static final int DEFAULT_PORT = 3478;

	private static final Pattern FORM = Pattern
		.compile("(?:stun:)?(?:\\[([0-9A-Fa-f:.]+)\\]|([A-Za-z0-9.-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*))(?::(\\d{1,5}))?");

	private static final Pattern HOST_NAME = Pattern
		.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

	public StunServer {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("STUN server port " + port + " is not between 1 and 65535");
		}
		if (IpLiteral.parse(host) == null && !HOST_NAME.matcher(host).matches()) {
			throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a host name");
		}
	}

	/**
	 * Parses {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT} or a STUN URI ({@code stun:HOST:PORT}, RFC 7064).
	 * A bare IPv6 address takes the default port.
	 * @param text the text
	 * @return the server
	 * @throws IllegalArgumentException if the text is none of these
	 */
	public static StunServer parse(String text) {
		String trimmed = text.trim();
		if (trimmed.toLowerCase(Locale.ROOT).startsWith("stuns:")) {
			throw new IllegalArgumentException("STUN over TLS (stuns:) is not supported: '" + text + "'");
		}
		Matcher matcher = FORM.matcher(trimmed);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not HOST, HOST:PORT or [IPV6]:PORT");
		}
		String bracketed = matcher.group(1);
		String host = (bracketed != null) ? bracketed : matcher.group(2);
		String port = matcher.group(3);
		if (bracketed == null && host.indexOf(':') >= 0) {
			// A bare IPv6 literal: its last group is not a port.
			host = (port != null) ? host + ":" + port : host;
			port = null;
		}
		if (bracketed != null && IpLiteral.parse(bracketed) == null) {
			throw new IllegalArgumentException("'" + bracketed + "' is not an IPv6 address");
		}
		return new StunServer(host, (port != null) ? Integer.parseInt(port) : DEFAULT_PORT);
	}

	/**
	 * Whether the host is an IP literal, which resolves without DNS.
	 * @return true for a literal
	 */
	public boolean isLiteral() {
		return IpLiteral.parse(this.host) != null;
	}

	/**
	 * Resolves the host; blocks on DNS unless it is a literal.
	 * @return the address to send to
	 * @throws NatException if the name does not resolve
	 */
	public InetSocketAddress resolve() throws NatException {
		InetAddress literal = IpLiteral.parse(this.host);
		if (literal != null) {
			return new InetSocketAddress(literal, this.port);
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(this.host), this.port);
		}
		catch (UnknownHostException | SecurityException ex) {
			throw new NatException(NatErrorKind.NO_GATEWAY, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
					"STUN server name " + this.host + " does not resolve", ex);
		}
	}

	/**
	 * Resolves the host to an address of one family; blocks on DNS unless it is a literal.
	 * @param family INET or INET6
	 * @return the first address of that family
	 * @throws NatException if the name does not resolve, or not to that family (a literal of the other family)
	 */
	public InetSocketAddress resolve(StandardProtocolFamily family) throws NatException {
		boolean ipv6 = family == StandardProtocolFamily.INET6;
		InetAddress literal = IpLiteral.parse(this.host);
		InetAddress[] candidates;
		if (literal != null) {
			candidates = new InetAddress[] { literal };
		}
		else {
			try {
				candidates = InetAddress.getAllByName(this.host);
			}
			catch (UnknownHostException | SecurityException ex) {
				throw new NatException(NatErrorKind.NO_GATEWAY, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
						"STUN server name " + this.host + " does not resolve", ex);
			}
		}
		for (InetAddress candidate : candidates) {
			if ((candidate instanceof Inet6Address) == ipv6) {
				return new InetSocketAddress(candidate, this.port);
			}
		}
		throw new NatException(NatErrorKind.NO_GATEWAY, NatProtocol.STUN, NatException.NO_ROUTER_CODE,
				"STUN server " + this + " has no " + (ipv6 ? "IPv6" : "IPv4") + " address");
	}

	@Override
	public String toString() {
		return ((this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

}
