package dev.natboot.core.reachability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.turn.TurnAllocation;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnException;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnPeerConnection;
import dev.natboot.core.turn.TurnServer;

/**
 * Checks an external endpoint from outside through TURN servers: a TCP allocation (RFC 6062), a Connect to the
 * endpoint (its success: the server's TCP handshake with the endpoint completed) and, for HTTP, a data connection
 * with an {@code OPTIONS *} request (the HTTP server answers it itself, no application code runs) whose answer
 * must start as HTTP does, whatever the status. Each check has an allocation of
 * its own, released at once, relayed on the endpoint's address family (an IPv6 pinhole is checked from an IPv6
 * relay, whichever family the server is reached over). Servers are tried in order until one can check; servers
 * named with UDP are reached over TCP on the same port (a TCP relay needs TCP to the server; coturn listens on
 * both).
 */
public final class TurnReachabilityProbe {

	/** The most of an answer read: the status line is all that counts. */
	private static final int MAX_ANSWER = 1024;

	private final List<TurnServer> servers;

	/** The servers as named, for UDP relays: any transport to the server carries those. */
	private final List<TurnServer> udpServers;

	private final TurnCredentials credentials;

	private final Duration timeout;

	/**
	 * A probe.
	 * @param servers the TURN servers, in order
	 * @param credentials their long-term credentials
	 * @param timeout for each request to a server, and for the application's answer
	 */
	public TurnReachabilityProbe(List<TurnServer> servers, TurnCredentials credentials, Duration timeout) {
		if (servers.isEmpty()) {
			throw new IllegalArgumentException("A reachability probe needs at least one TURN server");
		}
		this.udpServers = List.copyOf(servers);
		this.servers = servers.stream()
			.map((server) -> (server.transport() == TurnServer.Transport.UDP)
					? new TurnServer(server.host(), server.port(), TurnServer.Transport.TCP) : server)
			.toList();
		this.credentials = credentials;
		this.timeout = timeout;
	}

	/**
	 * What one check found, before the monitor adds the likely reason.
	 *
	 * @param status REACHABLE, UNREACHABLE or FAILING
	 * @param via the server that checked, or the last one tried
	 * @param detail what happened, for UNREACHABLE and FAILING
	 * @param seenAs this host's public address as the TURN server saw it (its XOR-MAPPED-ADDRESS), if it said
	 */
	public record Outcome(ReachabilityStatus status, String via, @Nullable String detail,
			@Nullable InetAddress seenAs) {

		Outcome(ReachabilityStatus status, String via, @Nullable String detail) {
			this(status, via, detail, null);
		}

		Outcome seenAs(@Nullable InetAddress address) {
			return new Outcome(this.status, this.via, this.detail, address);
		}

	}

	/**
	 * Checks an endpoint.
	 * @param endpoint the external address and port
	 * @param http whether an HTTP server must answer there
	 * @return what was found
	 */
	public Outcome check(InetSocketAddress endpoint, boolean http) {
		return firstThatChecks(this.servers, (server) -> check(server, endpoint, http));
	}

	/**
	 * Checks a UDP endpoint whose application answers natboot's probes ({@link UdpProbe}): a UDP relay, a
	 * permission for the endpoint, a probe sent through the relay (again after a second), and its answer.
	 * @param endpoint the external address and port
	 * @return what was found
	 */
	public Outcome checkUdp(InetSocketAddress endpoint) {
		return firstThatChecks(this.udpServers, (server) -> checkUdp(server, endpoint));
	}

	/** The first server's outcome that is not FAILING; when every server fails, the first one's reason. */
	private static Outcome firstThatChecks(List<TurnServer> servers,
			java.util.function.Function<TurnServer, Outcome> check) {
		Outcome first = null;
		for (TurnServer server : servers) {
			Outcome outcome = check.apply(server);
			if (outcome.status() != ReachabilityStatus.FAILING) {
				return outcome;
			}
			first = (first != null) ? first : outcome;
		}
		return first;
	}

	private Outcome checkUdp(TurnServer server, InetSocketAddress endpoint) {
		String via = server.uri();
		try (TurnAllocation allocation = TurnAllocation.allocate(server, this.credentials,
				TurnAllocation.RelayTransport.UDP, familyOf(endpoint),
				TurnOptions.defaults().withTimeout(this.timeout).withRefreshAutomatically(false))) {
			InetAddress seenAs = seenAs(allocation, endpoint);
			allocation.createPermission(endpoint.getAddress());
			byte[] probe = UdpProbe.newProbe();
			long deadline = System.nanoTime() + this.timeout.toNanos();
			long nextSend = System.nanoTime();
			while (System.nanoTime() < deadline) {
				if (System.nanoTime() >= nextSend) {
					allocation.send(endpoint, probe);
					nextSend = System.nanoTime() + 1_000_000_000L;
				}
				long wait = Math.max(1, Math.min(deadline, nextSend) - System.nanoTime()) / 1_000_000L;
				java.util.Optional<dev.natboot.core.turn.TurnDatagram> datagram = allocation
					.receive(Duration.ofMillis(Math.max(1, wait)));
				if (datagram.isPresent() && datagram.get().peer().equals(endpoint)
						&& UdpProbe.answers(datagram.get().data(), probe)) {
					return new Outcome(ReachabilityStatus.REACHABLE, via, null, seenAs);
				}
			}
			return new Outcome(ReachabilityStatus.UNREACHABLE, via, "no answer from " + text(endpoint) + " to the "
					+ "probes sent from the TURN server's relayed address "
					+ allocation.relayedAddress().getAddress().getHostAddress()
					+ " within " + this.timeout.toMillis() + " ms (or the application does not answer probes)", seenAs);
		}
		catch (TurnException ex) {
			return refused(ex, endpoint, via);
		}
		catch (NatException ex) {
			return new Outcome(ReachabilityStatus.FAILING, via, ex.getMessage());
		}
	}

	private Outcome check(TurnServer server, InetSocketAddress endpoint, boolean http) {
		String via = server.uri();
		try (TurnAllocation allocation = TurnAllocation.allocate(server, this.credentials,
				TurnAllocation.RelayTransport.TCP, familyOf(endpoint),
				TurnOptions.defaults().withTimeout(this.timeout).withRefreshAutomatically(false))) {
			InetAddress seenAs = seenAs(allocation, endpoint);
			return connect(allocation, endpoint, http, via).seenAs(seenAs);
		}
		catch (TurnException ex) {
			return refused(ex, endpoint, via);
		}
		catch (NatException ex) {
			return new Outcome(ReachabilityStatus.FAILING, via, ex.getMessage());
		}
	}

	private static Outcome refused(TurnException ex, InetSocketAddress endpoint, String via) {
		if (ex.kind() == NatErrorKind.NOT_AUTHORIZED) {
			return new Outcome(ReachabilityStatus.FAILING, via,
					"the TURN server refused the credentials (" + ex.code() + ")");
		}
		if (ex.code() == TurnException.ADDRESS_FAMILY_NOT_SUPPORTED) {
			return new Outcome(ReachabilityStatus.FAILING, via, "the TURN server relays no "
					+ ((familyOf(endpoint) == StandardProtocolFamily.INET6) ? "IPv6" : "IPv4") + " (440), so it "
					+ "cannot check " + text(endpoint));
		}
		return new Outcome(ReachabilityStatus.FAILING, via, ex.getMessage());
	}

	/** A relay of the endpoint's own family: an IPv4 relay cannot reach an IPv6 pinhole (443). */
	private static StandardProtocolFamily familyOf(InetSocketAddress endpoint) {
		return (endpoint.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
				: StandardProtocolFamily.INET;
	}

	/**
	 * This host's address as the server saw it, when that is of the endpoint's family: over IPv4 the server sees
	 * the NAT's address, which says nothing of an IPv6 pinhole.
	 */
	private static @Nullable InetAddress seenAs(TurnAllocation allocation, InetSocketAddress endpoint) {
		InetAddress seen = allocation.mappedAddress().map(InetSocketAddress::getAddress).orElse(null);
		return (seen != null && (seen instanceof Inet6Address) == (endpoint.getAddress() instanceof Inet6Address))
				? seen : null;
	}

	private Outcome connect(TurnAllocation allocation, InetSocketAddress endpoint, boolean http, String via) {
		{
			try {
				int connectionId = allocation.connect(endpoint);
				if (!http) {
					// The server's TCP handshake with the endpoint completed: something accepts there. Nothing is
					// sent (the allocation's release closes the connection), so no protocol is assumed.
					return new Outcome(ReachabilityStatus.REACHABLE, via, null);
				}
				try (TurnPeerConnection connection = allocation.openConnection(connectionId)) {
					return httpAnswer(connection, endpoint, via);
				}
			}
			catch (TurnException ex) {
				if (ex.code() == TurnException.CONNECTION_TIMEOUT_OR_FAILURE) {
					return new Outcome(ReachabilityStatus.UNREACHABLE, via, "a connection from the TURN server's "
							+ "relayed address " + allocation.relayedAddress().getAddress().getHostAddress()
							+ " to " + text(endpoint) + " failed or timed out");
				}
				if (ex.code() == StunAttribute.ErrorCode.SERVER_ERROR) {
					// coturn's answer when its socket to the peer fails at once (no route), where RFC 6062 says 447.
					return new Outcome(ReachabilityStatus.UNREACHABLE, via, "the TURN server could not open a "
							+ "connection to " + text(endpoint) + " (" + ex.getMessage() + ")");
				}
				if (ex.code() == TurnException.FORBIDDEN) {
					return new Outcome(ReachabilityStatus.FAILING, via,
							"the TURN server does not relay to " + text(endpoint) + " (403 Forbidden)");
				}
				return new Outcome(ReachabilityStatus.FAILING, via, ex.getMessage());
			}
			catch (NatException ex) {
				return new Outcome(ReachabilityStatus.FAILING, via, ex.getMessage());
			}
			catch (IOException ex) {
				return new Outcome(ReachabilityStatus.UNREACHABLE, via,
						"the connection to " + text(endpoint) + " broke: " + ex.getMessage());
			}
		}
	}

	private Outcome httpAnswer(TurnPeerConnection connection, InetSocketAddress endpoint, String via)
			throws IOException {
		String host = text(endpoint);
		connection.output().write(httpRequest(host));
		connection.output().flush();
		connection.setReadTimeout(this.timeout);
		String answer = readStatusLine(connection.input());
		if (answer.startsWith("HTTP/")) {
			return new Outcome(ReachabilityStatus.REACHABLE, via, null);
		}
		return new Outcome(ReachabilityStatus.UNREACHABLE, via, answer.isEmpty()
				? "a connection to " + host + " came through, but nothing answered HTTP"
				: "a connection to " + host + " came through, but what answered is not HTTP");
	}

	/**
	 * The request a check sends to a web server: {@code OPTIONS *}, which HTTP servers answer themselves.
	 * @param host the Host header's value
	 * @return the request's octets
	 */
	public static byte[] httpRequest(String host) {
		return ("OPTIONS * HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: natboot-reachability\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static String readStatusLine(InputStream input) {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		try {
			for (int octet; line.size() < MAX_ANSWER && (octet = input.read()) >= 0 && octet != '\n';) {
				line.write(octet);
			}
		}
		catch (IOException ex) {
			// What came before the timeout or the reset is the answer.
		}
		return line.toString(StandardCharsets.ISO_8859_1).strip();
	}

	private static String text(InetSocketAddress endpoint) {
		return IpLiteral.endpoint(endpoint.getAddress(), endpoint.getPort());
	}

}
