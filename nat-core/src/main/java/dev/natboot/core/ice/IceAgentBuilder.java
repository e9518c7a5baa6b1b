package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnServer;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link IceAgent}: {@code IceAgent.builder()}.
 */
public final class IceAgentBuilder {

	@Nullable NatEventLoop loop;

	IceRole role = IceRole.CONTROLLING;

	final List<InetSocketAddress> stunServers = new ArrayList<>();

	List<InetAddress> localAddresses = List.of();

	int localPort;

	@Nullable IcePortMapper portMapper;

	final List<Relay> relays = new ArrayList<>();

	boolean trickle;

	final List<IceAgentListener> listeners = new ArrayList<>();

	SecureRandom random = new SecureRandom();

	IceSettings settings = IceSettings.DEFAULTS;

	java.util.Set<dev.natboot.core.Transport> transports = java.util.EnumSet.of(dev.natboot.core.Transport.UDP);

	IceAgentBuilder() {
	}

	/**
	 * Runs the agent on a loop shared with others (the mapping engine's, for one), which closing the agent
	 * leaves open; by default the agent has a loop of its own.
	 * @param loop the loop
	 * @return this builder
	 */
	public IceAgentBuilder eventLoop(NatEventLoop loop) {
		this.loop = loop;
		return this;
	}

	/**
	 * The role to start in; by RFC 8445's convention the side that sends its description first controls.
	 * Both sides in the same role still connect: the role conflict is settled by the tie-breakers.
	 * @param role controlling by default
	 * @return this builder
	 */
	public IceAgentBuilder role(IceRole role) {
		this.role = role;
		return this;
	}

	/**
	 * A STUN server to learn the server-reflexive candidates from; one for each address family is plenty.
	 * @param server its address and port (3478 for most)
	 * @return this builder
	 */
	public IceAgentBuilder stunServer(InetSocketAddress server) {
		if (server.isUnresolved()) {
			throw new IllegalArgumentException("A STUN server's address must be resolved: " + server);
		}
		this.stunServers.add(server);
		return this;
	}

	/**
	 * The local addresses to put host candidates on; by default every address of every interface that is
	 * up, but loopback and link-local ones. Name them to keep an address (a VPN's, a LAN's) from the peer.
	 * @param addresses the addresses
	 * @return this builder
	 */
	public IceAgentBuilder localAddresses(List<InetAddress> addresses) {
		this.localAddresses = List.copyOf(addresses);
		return this;
	}

	/**
	 * The local port of every UDP socket and of each passive TCP candidate, for a firewall that opens one; 0 (the
	 * default) for any free port.
	 * @param port 0 to 65535
	 * @return this builder
	 */
	public IceAgentBuilder localPort(int port) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("A port is 0 to 65535: " + port);
		}
		this.localPort = port;
		return this;
	}

	/**
	 * The transports of the candidates: UDP alone by default; with TCP, the ICE-TCP candidates of RFC 6544 on
	 * each local address too (an active one, a passive one listening on {@link #localPort}, a simultaneous-open
	 * one), their server-reflexive and port-mapped forms, for networks that block UDP. The connection then
	 * carries datagrams of at most {@value IceTcpFraming#MAX_PACKET} octets, as RFC 4571 frames on the stream.
	 * UDP pairs are preferred where both connect.
	 * @param transports UDP, TCP or both
	 * @return this builder
	 */
	public IceAgentBuilder transports(dev.natboot.core.Transport... transports) {
		java.util.Set<dev.natboot.core.Transport> chosen = java.util.EnumSet.noneOf(dev.natboot.core.Transport.class);
		chosen.addAll(List.of(transports));
		if (chosen.isEmpty()) {
			throw new IllegalArgumentException("An agent needs at least one transport");
		}
		this.transports = chosen;
		return this;
	}

	/**
	 * Maps each IPv4 socket on the router for a port-mapped candidate.
	 * @param portMapper the mapper, such as one of the mapping engine
	 * @return this builder
	 */
	public IceAgentBuilder portMapper(IcePortMapper portMapper) {
		this.portMapper = portMapper;
		return this;
	}

	/**
	 * A TURN server to allocate a relayed candidate on (RFC 8656, a UDP relay), the path that works when no
	 * direct one can: both sides behind NATs that give each destination a port of its own, with no router that
	 * maps. The credentials never leave the allocation's requests.
	 * @param server the server, {@code turn:HOST[:PORT]} (over UDP, TCP or TLS to the server)
	 * @param credentials its long-term credentials
	 * @param options its timeouts; gathering waits for the allocation at most the request timeout
	 * @return this builder
	 */
	public IceAgentBuilder turnServer(TurnServer server, TurnCredentials credentials, TurnOptions options) {
		this.relays.add(new Relay(server, credentials, options));
		return this;
	}

	/**
	 * Trickle ICE (RFC 8838): {@link IceAgent#connect} starts checking with the host candidates instead of waiting
	 * for the STUN, TURN and router answers, which join as they come; send the description of
	 * {@link IceAgent#localDescription()} at once and each later candidate from
	 * {@link IceAgentListener#candidateGathered}, and add the peer's with {@link IceAgent#addRemoteCandidate}.
	 * The description then says {@code a=ice-options:trickle}.
	 * @param trickle false by default
	 * @return this builder
	 */
	public IceAgentBuilder trickle(boolean trickle) {
		this.trickle = trickle;
		return this;
	}

	public IceAgentBuilder listener(IceAgentListener listener) {
		this.listeners.add(listener);
		return this;
	}

	/**
	 * The source of the credentials and the tie-breaker.
	 * @param random a secure random
	 * @return this builder
	 */
	public IceAgentBuilder random(SecureRandom random) {
		this.random = random;
		return this;
	}

	/**
	 * Ta, the time between two checks the agent starts (RFC 8445 section 14.2).
	 * @param pacing 5 ms or more; 50 ms by default
	 * @return this builder
	 */
	public IceAgentBuilder pacing(Duration pacing) {
		if (pacing.toMillis() < 5) {
			throw new IllegalArgumentException("Ta must be at least 5 ms: " + pacing.toMillis() + " ms");
		}
		this.settings = new IceSettings(pacing, this.settings.checkTimeout(), this.settings.checkAttempts(),
				this.settings.nominationDelay(), this.settings.consentInterval(), this.settings.consentTimeout(),
				this.settings.checksPerSecond());
		return this;
	}

	/**
	 * How long the controlling agent waits, after its first valid pair, for a pair of higher priority.
	 * @param delay 100 ms by default; zero nominates the first valid pair
	 * @return this builder
	 */
	public IceAgentBuilder nominationDelay(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("The nomination delay must not be negative");
		}
		this.settings = new IceSettings(this.settings.pacing(), this.settings.checkTimeout(),
				this.settings.checkAttempts(), delay, this.settings.consentInterval(), this.settings.consentTimeout(),
				this.settings.checksPerSecond());
		return this;
	}

	/**
	 * Consent freshness (RFC 7675): how often to check and how long without an answer before giving up.
	 * @param interval 5 s by default
	 * @param timeout 30 s by default; longer than the interval
	 * @return this builder
	 */
	public IceAgentBuilder consent(Duration interval, Duration timeout) {
		if (interval.toMillis() < 10 || timeout.compareTo(interval) <= 0) {
			throw new IllegalArgumentException("The consent interval is 10 ms or more and shorter than the timeout");
		}
		this.settings = new IceSettings(this.settings.pacing(), this.settings.checkTimeout(),
				this.settings.checkAttempts(), this.settings.nominationDelay(), interval, timeout,
				this.settings.checksPerSecond());
		return this;
	}

	/**
	 * How many checks a second one source may send; more are dropped before any is read.
	 * @param perSecond 100 by default
	 * @return this builder
	 */
	public IceAgentBuilder checkRateLimit(int perSecond) {
		if (perSecond < 1) {
			throw new IllegalArgumentException("The check rate limit is at least 1 a second");
		}
		this.settings = new IceSettings(this.settings.pacing(), this.settings.checkTimeout(),
				this.settings.checkAttempts(), this.settings.nominationDelay(), this.settings.consentInterval(),
				this.settings.consentTimeout(), perSecond);
		return this;
	}

	IceSettings settings() {
		return this.settings;
	}

	public IceAgent build() {
		return new IceAgent(this);
	}

	/** A TURN server to gather a relayed candidate from. */
	record Relay(TurnServer server, TurnCredentials credentials, TurnOptions options) {

		@Override
		public String toString() {
			return "Relay[" + this.server + "]";
		}

	}

}
