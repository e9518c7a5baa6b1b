package dev.natboot.spring.shield;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.natboot.core.IpLiteral;
import org.jspecify.annotations.Nullable;

import org.springframework.util.function.SingletonSupplier;

/**
 * Decides which requests to the actuator's endpoints, on the web server port natboot maps, come from outside
 * the local networks and get a 404 instead. The connection's own peer counts, as the server saw it before any
 * forwarded header was applied, and so does every client a proxy names in {@code Forwarded},
 * {@code X-Forwarded-For} or {@code X-Real-IP}: a request from the internet that a LAN proxy passes on is a
 * request from the internet. Where the server may already have replaced the peer with what such a header claims
 * (Jetty's forwarded support, which trusts anybody), a request that carries one is refused.
 */
public class ManagementShield {

	/** Headers in which proxies name the client they forward for. */
	public static final List<String> FORWARDED_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

	private static final int MAX_HEADER_LENGTH = 4096;

	private final Supplier<ManagementPaths> paths;

	private final LocalNetworks localNetworks;

	private final BooleanSupplier active;

	private final RelayedConnections relayed;

	/**
	 * Creates a shield.
	 * @param paths where the endpoints are
	 * @param localNetworks what counts as local
	 * @param active whether natboot maps the server port now (not in mode none, not skipped in tests)
	 */
	public ManagementShield(ManagementPaths paths, LocalNetworks localNetworks, BooleanSupplier active) {
		this(() -> paths, localNetworks, active);
	}

	/**
	 * Creates a shield that learns where the endpoints are at the first request it sees: the actuator's
	 * endpoints are discovered once, when the application's context needs them, not earlier for the shield.
	 * @param paths where the endpoints are, asked once
	 * @param localNetworks what counts as local
	 * @param active whether natboot maps the server port now (not in mode none, not skipped in tests)
	 */
	public ManagementShield(Supplier<ManagementPaths> paths, LocalNetworks localNetworks, BooleanSupplier active) {
		this(paths, localNetworks, active, (peer) -> false);
	}

	/**
	 * Creates a shield that also knows the connections a relay opened: they arrive from this host, and count as
	 * from the internet.
	 * @param paths where the endpoints are, asked once
	 * @param localNetworks what counts as local
	 * @param active whether natboot maps the server port now (not in mode none, not skipped in tests)
	 * @param relayed which connections, by their peer address and port, came through a relay
	 */
	public ManagementShield(Supplier<ManagementPaths> paths, LocalNetworks localNetworks, BooleanSupplier active,
			RelayedConnections relayed) {
		this.paths = SingletonSupplier.of(paths);
		this.localNetworks = localNetworks;
		this.active = active;
		this.relayed = relayed;
	}

	/**
	 * Whether a connection came through a relay: then its peer, this host, says nothing of where the request
	 * comes from, and the request counts as from the internet.
	 * @param connection the connection's peer address and port, {@code null} if unknown
	 * @return true when a relay opened it
	 */
	public boolean isRelayed(@Nullable InetSocketAddress connection) {
		return connection != null && this.relayed.isRelayed(connection);
	}

	/**
	 * Whether to refuse a request that came through a relay: always, on the endpoints' paths, whatever the mode
	 * (a relay can be up with {@code nat.mode=none}).
	 * @param path the request's path within the application
	 * @return true to answer 404
	 */
	public boolean refusesRelayed(String path) {
		return this.paths.get().contains(path);
	}

	/**
	 * Whether to refuse a request.
	 * @param path the request's path within the application
	 * @param peer the connection's peer, {@code null} if unknown
	 * @param peerFromConnection whether {@code peer} is the connection's own, whatever the request's headers say
	 * @param forwarded the values of the {@link #FORWARDED_HEADERS} the request carries
	 * @return true to answer 404
	 */
	public boolean refuses(String path, @Nullable InetAddress peer, boolean peerFromConnection, List<String> forwarded) {
		if (!this.active.getAsBoolean() || !this.paths.get().contains(path)) {
			return false;
		}
		if (peer == null || !this.localNetworks.isLocal(peer)) {
			return true;
		}
		if (!forwarded.isEmpty() && !peerFromConnection) {
			return true;
		}
		for (String value : forwarded) {
			if (value.length() > MAX_HEADER_LENGTH) {
				return true; // nobody forwards for so many hops
			}
			for (String client : forwardedClients(value)) {
				InetAddress address = IpLiteral.parse(client);
				if (address != null && !this.localNetworks.isLocal(address)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The client addresses a forwarded header value names: its comma-separated elements, "for=" in Forwarded. */
	static List<String> forwardedClients(String value) {
		List<String> clients = new java.util.ArrayList<>();
		for (String element : value.split(",")) {
			String client = element.trim();
			int forAt = client.toLowerCase(Locale.ROOT).indexOf("for=");
			if (forAt >= 0) {
				client = client.substring(forAt + 4);
				int end = client.indexOf(';');
				client = ((end >= 0) ? client.substring(0, end) : client).trim().replace("\"", "");
			}
			else if (client.contains("=")) {
				continue; // Forwarded's other parameters
			}
			// [2001:db8::1]:4711 or 192.0.2.1:4711
			if (client.startsWith("[")) {
				int close = client.indexOf(']');
				client = (close > 0) ? client.substring(1, close) : client;
			}
			else if (client.indexOf(':') == client.lastIndexOf(':') && client.indexOf(':') > 0) {
				client = client.substring(0, client.indexOf(':'));
			}
			clients.add(client);
		}
		return clients;
	}

}
