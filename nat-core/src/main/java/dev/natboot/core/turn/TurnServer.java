package dev.natboot.core.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.stun.StunServer;

/**
 * A TURN server as a URI names it (RFC 7065): {@code turn:HOST[:PORT][?transport=udp|tcp]} or
 * {@code turns:HOST[:PORT][?transport=tcp]} (TLS over TCP). Resolved only when used.
 *
 * @param host a host name or an IP literal (IPv6 without brackets)
 * @param port the port: 3478 for {@code turn:}, 5349 for {@code turns:} unless given
 * @param transport how this client reaches the server
 */
public record TurnServer(String host, int port, Transport transport) {

	/** The port of {@code turn:} (RFC 8656 section 4). */
	public static final int DEFAULT_PORT = 3478;

	/** The port of {@code turns:}. */
	public static final int DEFAULT_TLS_PORT = 5349;

	/** How the client talks to the server; not the transport of the relayed address. */
	public enum Transport {

		/** UDP, {@code turn:...?transport=udp} and the default of {@code turn:}. */
		UDP,

		/** TCP, {@code turn:...?transport=tcp}: needed for TCP allocations (RFC 6062). */
		TCP,

		/** TLS over TCP, {@code turns:}. */
		TLS

	}

	private static final Pattern URI = Pattern.compile(
			"(turns?):(?:\\[([0-9A-Fa-f:.]+)\\]|([A-Za-z0-9.-]+))(?::(\\d{1,5}))?(?:\\?transport=([A-Za-z]+))?",
			Pattern.CASE_INSENSITIVE);

	public TurnServer {
		// The host and port rules are STUN's: the same servers, the same forms.
		new StunServer(host, port);
		if (transport == null) {
			throw new IllegalArgumentException("A TURN server needs a transport");
		}
	}

	/**
	 * Parses a TURN URI.
	 * @param text for example {@code turn:turn.example.org?transport=tcp} or {@code turn:[2001:db8::1]:3478}
	 * @return the server
	 * @throws IllegalArgumentException if the text is not a TURN URI, saying why
	 */
	public static TurnServer parse(String text) {
		String trimmed = text.trim();
		Matcher matcher = URI.matcher(trimmed);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + trimmed + "' is not a TURN URI: turn:HOST[:PORT][?transport=udp|tcp]"
					+ " or turns:HOST[:PORT]");
		}
		boolean tls = matcher.group(1).equalsIgnoreCase("turns");
		String host = (matcher.group(2) != null) ? matcher.group(2) : matcher.group(3);
		if (matcher.group(2) != null && IpLiteral.parse(host) == null) {
			throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
		}
		String transportName = matcher.group(5);
		Transport transport = tls ? Transport.TLS : Transport.UDP;
		if (transportName != null) {
			switch (transportName.toLowerCase(Locale.ROOT)) {
				case "udp" -> {
					if (tls) {
						throw new IllegalArgumentException("turns: is TLS over TCP, not transport=udp: '" + trimmed + "'");
					}
				}
				case "tcp" -> transport = tls ? Transport.TLS : Transport.TCP;
				default -> throw new IllegalArgumentException(
						"TURN transport '" + transportName + "' is neither udp nor tcp in '" + trimmed + "'");
			}
		}
		int port = (matcher.group(4) != null) ? Integer.parseInt(matcher.group(4))
				: tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
		return new TurnServer(host, port, transport);
	}

	/**
	 * Resolves the host; blocks on DNS unless it is a literal.
	 * @return the address to connect to
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
			throw new NatException(NatErrorKind.NO_GATEWAY, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"TURN server name " + this.host + " does not resolve", ex);
		}
	}

	/**
	 * This server as a URI, in the form {@link #parse} reads.
	 * @return for example {@code turn:11.22.33.2:3478?transport=tcp}
	 */
	public String uri() {
		String host = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return switch (this.transport) {
			case UDP -> "turn:" + host + ":" + this.port + "?transport=udp";
			case TCP -> "turn:" + host + ":" + this.port + "?transport=tcp";
			case TLS -> "turns:" + host + ":" + this.port + "?transport=tcp";
		};
	}

	@Override
	public String toString() {
		return uri();
	}

}
