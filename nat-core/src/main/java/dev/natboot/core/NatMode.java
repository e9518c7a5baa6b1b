package dev.natboot.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.natboot.core.stun.StunServer;
import org.jspecify.annotations.Nullable;

/**
 * How the engine reaches the outside world, parsed from a short specification string such as {@code any},
 * {@code pcp:192.168.1.1} or {@code extip:203.0.113.7}.
 *
 * @param kind what to use
 * @param gateway router to talk to, or {@code null} to use this host's default gateway; only for the
 * router kinds
 * @param externalAddress address the application is reachable at; only for {@link Kind#EXTIP}
 * @param stunServer the STUN server that tells the external address; only for {@link Kind#STUN}, where
 * {@code null} means the servers configured apart from the mode
 */
public record NatMode(Kind kind, @Nullable InetSocketAddress gateway, @Nullable InetAddress externalAddress,
		@Nullable StunServer stunServer) {

	/** Port on which PCP and NAT-PMP servers listen (RFC 6887, RFC 6886). */
	public static final int PCP_PORT = 5351;

	/** Port on which UPnP devices answer SSDP searches. */
	public static final int SSDP_PORT = 1900;

	/** The forms {@link #of(String)} accepts, for error messages and documentation. */
	public static final String ACCEPTED_FORMS = "any, pcp, pmp, upnp, pcp:GATEWAY, pmp:GATEWAY, upnp:GATEWAY, "
			+ "extip:ADDRESS, stun, stun:HOST[:PORT], none (GATEWAY is a router's unicast IPv4 address, optionally "
			+ "with :PORT; ADDRESS is a unicast IPv4 or IPv6 address; HOST a STUN server's name or address)";

	private static final Pattern SPEC = Pattern.compile("([a-z]+)(?::(.+))?");

	private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d{1,5}))?");

	/** The default: probe every protocol the gateway may speak and use the best. */
	public static final NatMode ANY = new NatMode(Kind.ANY, null, null);

	/** Map nothing. */
	public static final NatMode NONE = new NatMode(Kind.NONE, null, null);

	public NatMode {
		if (stunServer != null && kind != Kind.STUN) {
			throw new IllegalArgumentException("only stun takes a STUN server");
		}
		if (externalAddress != null && kind != Kind.EXTIP) {
			throw new IllegalArgumentException("only extip takes an external address");
		}
		if (gateway != null && !kind.usesRouter()) {
			throw new IllegalArgumentException(kind.spec + " takes no gateway");
		}
		if (kind == Kind.EXTIP && externalAddress == null) {
			throw new IllegalArgumentException("extip needs an address");
		}
		if (gateway != null) {
			InetAddress address = gateway.getAddress();
			String unusable = (address != null) ? unusableGateway(address) : "not resolved";
			if (unusable != null) {
				throw new IllegalArgumentException("gateway " + gateway + " is " + unusable + ", not a router");
			}
		}
	}

	/**
	 * A mode without a STUN server.
	 * @param kind what to use
	 * @param gateway router to talk to, or {@code null} for this host's default gateway
	 * @param externalAddress address the application is reachable at; only for {@link Kind#EXTIP}
	 */
	public NatMode(Kind kind, @Nullable InetSocketAddress gateway, @Nullable InetAddress externalAddress) {
		this(kind, gateway, externalAddress, null);
	}

	/**
	 * Parses a mode specification. Letter case of the keyword is ignored; no name is ever resolved through
	 * DNS.
	 * @param spec the specification, for example {@code pmp:192.168.1.1}
	 * @return the mode
	 * @throws InvalidNatModeException if the text is not one of the {@link #ACCEPTED_FORMS}
	 */
	public static NatMode of(String spec) {
		String text = spec.trim();
		Matcher matcher = SPEC.matcher(text.toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new InvalidNatModeException(spec, "not a mode specification");
		}
		Kind kind = Kind.fromSpec(matcher.group(1));
		if (kind == null) {
			throw new InvalidNatModeException(spec, "unknown mode '" + matcher.group(1) + "'");
		}
		String argument = (matcher.group(2) != null) ? text.substring(text.indexOf(':') + 1) : null;
		return switch (kind) {
			case ANY, NONE -> {
				if (argument != null) {
					throw new InvalidNatModeException(spec, kind.spec + " takes no argument");
				}
				yield new NatMode(kind, null, null);
			}
			case PCP, PMP, UPNP -> new NatMode(kind, (argument != null) ? parseGateway(spec, argument, kind.defaultPort())
					: null, null);
			case EXTIP -> {
				if (argument == null) {
					throw new InvalidNatModeException(spec, "extip needs an address, for example extip:203.0.113.7");
				}
				yield new NatMode(kind, null, parseAddress(spec, argument));
			}
			case STUN -> {
				try {
					yield new NatMode(kind, null, null, (argument != null) ? StunServer.parse(argument) : null);
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidNatModeException(spec, ex.getMessage());
				}
			}
		};
	}

	/**
	 * The specification string this mode was parsed from, in canonical form.
	 * @return for example {@code pcp:192.168.1.1}
	 */
	public String toSpec() {
		if (this.stunServer != null) {
			return this.kind.spec + ":" + this.stunServer;
		}
		if (this.externalAddress != null) {
			return this.kind.spec + ":" + this.externalAddress.getHostAddress();
		}
		if (this.gateway != null) {
			String host = this.gateway.getAddress().getHostAddress();
			return this.kind.spec + ":" + host
					+ ((this.gateway.getPort() != this.kind.defaultPort()) ? ":" + this.gateway.getPort() : "");
		}
		return this.kind.spec;
	}

	@Override
	public String toString() {
		return toSpec();
	}

	private static InetSocketAddress parseGateway(String spec, String argument, int defaultPort) {
		Matcher matcher = IPV4_WITH_PORT.matcher(argument);
		if (!matcher.matches()) {
			throw new InvalidNatModeException(spec, "gateway '" + argument + "' is not an IPv4 address[:port]");
		}
		InetAddress address = parseIpv4(spec, matcher.group(1));
		String unusable = unusableGateway(address);
		if (unusable != null) {
			throw new InvalidNatModeException(spec, "gateway " + address.getHostAddress() + " is " + unusable
					+ ", not a router");
		}
		int port = defaultPort;
		if (matcher.group(2) != null) {
			port = Integer.parseInt(matcher.group(2));
			if (port < 1 || port > 65535) {
				throw new InvalidNatModeException(spec, "gateway port " + port + " is not between 1 and 65535");
			}
		}
		return new InetSocketAddress(address, port);
	}

	private static InetAddress parseAddress(String spec, String argument) {
		InetAddress address = IpLiteral.parse(argument);
		if (address == null) {
			throw new InvalidNatModeException(spec, "'" + argument + "' is not an IP address");
		}
		if (address.isAnyLocalAddress() || address.isMulticastAddress() || isBroadcast(address)) {
			throw new InvalidNatModeException(spec, "external address " + address.getHostAddress() + " is "
					+ (address.isAnyLocalAddress() ? "unspecified" : address.isMulticastAddress() ? "multicast" : "broadcast")
					+ ": nobody can reach the application there");
		}
		return address;
	}

	/**
	 * Why an address cannot be a router to talk to, or {@code null} if it can: the unspecified address (a socket
	 * sends nowhere, and retries would go on for ever), broadcast and multicast (every host on the LAN would be
	 * asked, and anyone could answer), and the reserved 240.0.0.0/4. Loopback is accepted: a router emulated on
	 * this host, as tests do.
	 */
	static @Nullable String unusableGateway(InetAddress address) {
		if (address.isAnyLocalAddress()) {
			return "unspecified";
		}
		if (isBroadcast(address)) {
			return "the broadcast address";
		}
		if (address.isMulticastAddress()) {
			return "a multicast group";
		}
		if ((address.getAddress()[0] & 0xf0) == 0xf0) {
			return "reserved (240.0.0.0/4)";
		}
		return null;
	}

	private static boolean isBroadcast(InetAddress address) {
		byte[] bytes = address.getAddress();
		return bytes.length == 4 && (bytes[0] & bytes[1] & bytes[2] & bytes[3]) == (byte) 0xff;
	}

	private static InetAddress parseIpv4(String spec, String text) {
		InetAddress address = IpLiteral.parseIpv4(text);
		if (address == null) {
			throw new InvalidNatModeException(spec, "'" + text + "' is not an IPv4 address");
		}
		return address;
	}

	/**
	 * What a mode uses.
	 */
	public enum Kind {

		/** Probe PCP, NAT-PMP and UPnP IGD at once and use the best that answers. */
		ANY("any"),

		/** PCP only. */
		PCP("pcp"),

		/** NAT-PMP only. */
		PMP("pmp"),

		/** UPnP IGD only. */
		UPNP("upnp"),

		/** No router: the application is reachable at a fixed address by forwarding set up by hand. */
		EXTIP("extip"),

		/**
		 * No router: forwarding set up by hand, at the external address a STUN server sees (like extip, but
		 * measured, and followed when it changes).
		 */
		STUN("stun"),

		/** Map nothing. */
		NONE("none");

		private final String spec;

		Kind(String spec) {
			this.spec = spec;
		}

		public String spec() {
			return this.spec;
		}

		/**
		 * Whether this kind talks to a router.
		 * @return true for any, pcp, pmp and upnp
		 */
		public boolean usesRouter() {
			return this == ANY || this == PCP || this == PMP || this == UPNP;
		}

		/**
		 * Port of the router's protocol server when the mode names none.
		 * @return 1900 for UPnP (SSDP), 5351 otherwise
		 */
		public int defaultPort() {
			return (this == UPNP) ? SSDP_PORT : PCP_PORT;
		}

		static @Nullable Kind fromSpec(String spec) {
			for (Kind kind : values()) {
				if (kind.spec.equals(spec)) {
					return kind;
				}
			}
			return null;
		}

	}

}
