package dev.natboot.core.ice;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import org.jspecify.annotations.Nullable;

/**
 * Gathers an agent's candidates (RFC 8445 section 5.1.1): a socket and a host candidate on each local address,
 * a server-reflexive candidate from each STUN server of the socket's family, and a port-mapped one when a port
 * mapper maps the socket. Runs on the loop thread; every candidate is handed on as soon as it is known, for
 * trickle ICE.
 */
final class IceGathering {

	private static final System.Logger logger = System.getLogger(IceGathering.class.getName());

	/** A server on the way to the internet answers within a few hundred milliseconds; four tries, about 1.5 s. */
	static final Retransmission STUN_SCHEDULE = new Retransmission(java.time.Duration.ofMillis(100),
			java.time.Duration.ofMillis(800), 4);

	/** Over TCP a request is not sent again (RFC 8489 section 6.2.2): one try, as long as the UDP schedule's. */
	static final Retransmission STUN_TCP_SCHEDULE = new Retransmission(java.time.Duration.ofMillis(1500),
			java.time.Duration.ofMillis(1500), 1);

	/** The local preference of a port-mapped candidate over a STUN one: the router's mapping takes any sender. */
	private static final int PORT_MAPPED_PREFERENCE_BONUS = 128;

	private final NatEventLoop loop;

	private final IceSocket.Receiver receiver;

	private final List<InetSocketAddress> stunServers;

	private final @Nullable IcePortMapper portMapper;

	private final List<IceAgentBuilder.Relay> relays;

	private final boolean udp;

	private final boolean tcp;

	/** Each socket's local preference, from its address's place among the local addresses. */
	private final java.util.Map<IceSocket, Integer> otherPreferences = new java.util.HashMap<>();

	private boolean closed;

	private final Consumer<IceCandidate> gathered;

	private final Consumer<IceSocket> socketAdded;

	private final List<IceSocket> sockets = new ArrayList<>();

	private final List<IceCandidate> candidates = new ArrayList<>();

	private final List<IceCandidate> hosts = new ArrayList<>();

	private int outstanding;

	private @Nullable Runnable done;

	IceGathering(NatEventLoop loop, IceSocket.Receiver receiver, List<InetSocketAddress> stunServers,
			@Nullable IcePortMapper portMapper, List<IceAgentBuilder.Relay> relays, boolean udp, boolean tcp,
			Consumer<IceCandidate> gathered, Consumer<IceSocket> socketAdded) {
		this.loop = loop;
		this.udp = udp;
		this.tcp = tcp;
		this.receiver = receiver;
		this.stunServers = List.copyOf(stunServers);
		this.portMapper = portMapper;
		this.relays = List.copyOf(relays);
		this.gathered = gathered;
		this.socketAdded = socketAdded;
	}

	/**
	 * The addresses host candidates go on when the application names none: every address of every interface
	 * that is up, but loopback, link-local, multicast, deprecated and tentative ones, IPv6 before IPv4 (RFC 8421).
	 */
	static List<InetAddress> usableAddresses() throws SocketException {
		List<InetAddress> ipv6 = new ArrayList<>();
		List<InetAddress> ipv4 = new ArrayList<>();
		// a deprecated IPv6 address (on its way out, RFC 4862) or one still tentative is offered to no peer
		java.util.Set<InetAddress> unusable = dev.natboot.core.gateway.Ipv6Host.unusableAddresses();
		for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (!nic.isUp() || nic.isLoopback()) {
				continue;
			}
			for (InetAddress address : Collections.list(nic.getInetAddresses())) {
				if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()
						|| address.isAnyLocalAddress() || unusable.contains(address)) {
					continue;
				}
				(address instanceof Inet6Address ? ipv6 : ipv4).add(address);
			}
		}
		List<InetAddress> all = new ArrayList<>(ipv6);
		all.addAll(ipv4);
		return all;
	}

	List<IceSocket> sockets() {
		return this.sockets;
	}

	List<IceCandidate> candidates() {
		return Collections.unmodifiableList(this.candidates);
	}

	/** The host candidate a socket is the base of. */
	IceCandidate host(IceSocket socket) {
		return this.hosts.get(this.sockets.indexOf(socket));
	}

	/**
	 * Opens the sockets and starts every server-reflexive and port-mapped request; calls {@code done} once all
	 * have ended.
	 * @return how many sockets opened
	 */
	int start(List<InetAddress> addresses, int port, Runnable done) {
		this.done = done;
		for (int index = 0; index < addresses.size() && this.sockets.size() < 256; index++) {
			InetAddress address = addresses.get(index);
			if (this.udp) {
				openUdp(address, port, 65535 - PORT_MAPPED_PREFERENCE_BONUS - 256 * index);
			}
			if (this.tcp) {
				for (IceTcpType type : IceTcpType.values()) {
					// a passive candidate listens where the application asked; a so one's port needs no rule
					openTcp(type, address, (type == IceTcpType.PASSIVE) ? port : 0, Math.max(0, 8191 - 256 * index));
				}
			}
		}
		int opened = this.sockets.size();
		for (IceSocket socket : List.copyOf(this.sockets)) {
			int preference = this.otherPreferences.get(socket);
			IceTcpType tcpType = socket.tcpType();
			if (tcpType == null) {
				for (InetSocketAddress server : this.stunServers) {
					if (server.getAddress().getClass() == socket.base().getAddress().getClass()) {
						askServer(socket, server, IcePriorities.candidatePriority(
								IceCandidateType.SERVER_REFLEXIVE.recommendedPreference(), preference, 1));
					}
				}
				if (this.portMapper != null && socket.base().getAddress() instanceof Inet4Address) {
					askRouter(this.portMapper, socket, IcePriorities.candidatePriority(
							IceCandidateType.SERVER_REFLEXIVE.recommendedPreference(),
							Math.min(preference + PORT_MAPPED_PREFERENCE_BONUS, 65535), 1));
				}
			}
			else if (tcpType == IceTcpType.SIMULTANEOUS_OPEN) {
				// what a NAT maps the so port to, for every destination when it maps endpoint-independently
				for (InetSocketAddress server : this.stunServers) {
					if (server.getAddress().getClass() == socket.base().getAddress().getClass()) {
						askServer(socket, server, tcpPriority(IceCandidateType.SERVER_REFLEXIVE, tcpType, preference));
					}
				}
			}
			else if (tcpType == IceTcpType.PASSIVE && this.portMapper != null
					&& socket.base().getAddress() instanceof Inet4Address) {
				askRouter(this.portMapper, socket, tcpPriority(IceCandidateType.SERVER_REFLEXIVE, tcpType, preference));
			}
		}
		if (opened > 0) {
			for (IceAgentBuilder.Relay relay : this.relays) {
				if (this.udp) {
					askRelay(relay);
				}
				if (this.tcp) {
					askTcpRelay(relay);
				}
			}
		}
		finishIfDone();
		return opened;
	}

	private void openUdp(InetAddress address, int port, int localPreference) {
		try {
			IceSocket socket = IceSocket.open(this.loop, address, port, this.receiver);
			IceCandidate host = IceCandidate.of(
					IcePriorities.foundation(IceCandidateType.HOST, Transport.UDP, address, null),
					IcePriorities.candidatePriority(IceCandidateType.HOST.recommendedPreference(), localPreference, 1),
					Transport.UDP, socket.base(), IceCandidateType.HOST, null, null);
			added(socket, host, localPreference);
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "No ICE socket on " + address + ": " + ex.getMessage());
		}
	}

	private void openTcp(IceTcpType type, InetAddress address, int port, int otherPreference) {
		try {
			IceSocket socket = IceSocket.openTcp(this.loop, type, address, port, this.receiver);
			IceCandidate host = IceCandidate.of(
					IcePriorities.foundation(IceCandidateType.HOST, Transport.TCP, address, null),
					tcpPriority(IceCandidateType.HOST, type, otherPreference), Transport.TCP, socket.base(),
					IceCandidateType.HOST, null, type);
			added(socket, host, otherPreference);
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "No ICE-TCP " + type.sdpName() + " candidate on " + address + ": "
					+ ex.getMessage());
		}
	}

	private static long tcpPriority(IceCandidateType type, IceTcpType tcpType, int otherPreference) {
		return IcePriorities.candidatePriority(IcePriorities.tcpTypePreference(type),
				IcePriorities.tcpLocalPreference(type, tcpType, otherPreference), 1);
	}

	private void added(IceSocket socket, IceCandidate host, int preference) {
		this.sockets.add(socket);
		this.hosts.add(host);
		this.otherPreferences.put(socket, preference);
		add(host);
	}

	/** A pair was selected: the TCP connections of every other pair close (RFC 6544 section 8). */
	void retainConnection(CandidatePair selected) {
		for (IceSocket socket : this.sockets) {
			socket.retainOnly((socket == selected.socket) ? selected.remoteAddress : null);
		}
	}

	void close() {
		this.closed = true;
		this.sockets.forEach(IceSocket::close);
		if (this.portMapper != null) {
			for (IceSocket socket : this.sockets) {
				if (socket.relayed() || socket.tcpType() == IceTcpType.ACTIVE
						|| socket.tcpType() == IceTcpType.SIMULTANEOUS_OPEN) {
					continue;
				}
				try {
					this.portMapper.release(socket.transport(), socket.base());
				}
				catch (RuntimeException ex) {
					logger.log(Level.DEBUG, () -> "Releasing the mapping of " + socket.base() + " failed: " + ex);
				}
			}
		}
	}

	private void askServer(IceSocket socket, InetSocketAddress server, long priority) {
		StunMessage request = StunMessage.bindingRequest();
		IceTcpLink tcp = socket.tcpLink();
		if (tcp != null) {
			tcp.stunServer(server); // bare STUN on that connection, not frames
		}
		IceSocket.Transaction started = socket.start(request, dev.natboot.core.stun.StunCodec.encode(request), server,
				(tcp != null) ? STUN_TCP_SCHEDULE : STUN_SCHEDULE, new IceSocket.Outcome() {

					@Override
					public void answered(StunMessage response, byte[] octets, InetSocketAddress source, long roundTripNanos) {
						if (response.messageClass() == StunMessageClass.SUCCESS_RESPONSE) {
							response.mappedAddress().ifPresent((mapped) -> reflexive(socket, mapped,
									server.getAddress(), priority));
						}
						done();
					}

					@Override
					public void timedOut() {
						logger.log(Level.DEBUG, () -> "STUN server " + server + " did not answer " + socket.base());
						done();
					}

					private void done() {
						if (tcp != null) {
							tcp.closeConnection(server);
						}
						ended();
					}

				});
		if (started != null) {
			this.outstanding++;
		}
	}

	private void askRouter(IcePortMapper mapper, IceSocket socket, long priority) {
		this.outstanding++;
		try {
			mapper.map(socket.transport(), socket.base()).whenComplete((external, failure) -> this.loop.execute(() -> {
				if (external != null && failure == null) {
					reflexive(socket, external, null, priority);
				}
				else {
					logger.log(Level.DEBUG, () -> "No port-mapped candidate for " + socket.base() + ": " + failure);
				}
				ended();
			}));
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "No port-mapped candidate for " + socket.base() + ": " + ex);
			ended();
		}
	}

	private void askRelay(IceAgentBuilder.Relay relay) {
		this.outstanding++;
		IceRelayLink.allocate(relay.server(), relay.credentials(), relay.options())
			.whenComplete((link, failure) -> this.loop.execute(() -> {
				if (link == null || failure != null) {
					logger.log(Level.DEBUG, () -> "No relayed candidate from " + relay.server() + ": "
							+ ((failure != null) ? failure.getMessage() : "no allocation"));
				}
				else if (this.closed || this.sockets.size() >= 256) {
					link.close();
				}
				else {
					relayed(link);
				}
				ended();
			}));
	}

	/** A TCP relay (RFC 6062): a passive relayed candidate, for a stream that connects when nothing else can. */
	private void askTcpRelay(IceAgentBuilder.Relay relay) {
		this.outstanding++;
		IceTcpRelayLink.allocate(relay.server(), relay.credentials(), relay.options())
			.whenComplete((link, failure) -> this.loop.execute(() -> {
				if (link == null || failure != null) {
					logger.log(Level.DEBUG, () -> "No relayed TCP candidate from " + relay.server() + ": "
							+ ((failure != null) ? failure.getMessage() : "no allocation"));
				}
				else if (this.closed || this.sockets.size() >= 256) {
					link.close();
				}
				else {
					IceSocket socket = new IceSocket(this.loop, link, this.receiver);
					InetSocketAddress address = link.base();
					IceCandidate candidate = IceCandidate.of(
							IcePriorities.foundation(IceCandidateType.RELAYED, Transport.TCP, address.getAddress(),
									address.getAddress()),
							tcpPriority(IceCandidateType.RELAYED, IceTcpType.PASSIVE, 8191), Transport.TCP, address,
							IceCandidateType.RELAYED, link.mappedAddress().orElse(null), IceTcpType.PASSIVE);
					this.sockets.add(socket);
					this.hosts.add(candidate);
					link.start(this.loop, socket);
					add(candidate);
					this.socketAdded.accept(socket);
				}
				ended();
			}));
	}

	private void relayed(IceRelayLink link) {
		IceSocket socket = new IceSocket(this.loop, link, this.receiver);
		InetSocketAddress address = link.base();
		IceCandidate candidate = IceCandidate.of(
				IcePriorities.foundation(IceCandidateType.RELAYED, Transport.UDP, address.getAddress(), address.getAddress()),
				IcePriorities.candidatePriority(IceCandidateType.RELAYED.recommendedPreference(), 65535, 1), Transport.UDP,
				address, IceCandidateType.RELAYED, link.mappedAddress().orElse(null), null);
		this.sockets.add(socket);
		this.hosts.add(candidate);
		link.start(this.loop, socket);
		add(candidate);
		this.socketAdded.accept(socket);
	}

	private void reflexive(IceSocket socket, InetSocketAddress mapped, @Nullable InetAddress server, long priority) {
		if (mapped.equals(socket.base()) || mapped.getAddress().getClass() != socket.base().getAddress().getClass()) {
			return; // no NAT on the way, or a server that answers nonsense: the host candidate says it all
		}
		for (IceCandidate known : this.candidates) {
			if (known.type() == IceCandidateType.SERVER_REFLEXIVE && known.transport() == socket.transport()
					&& known.tcpType() == socket.tcpType() && known.socketAddress().orElseThrow().equals(mapped)) {
				return;
			}
		}
		IceCandidate candidate = IceCandidate.of(
				IcePriorities.foundation(IceCandidateType.SERVER_REFLEXIVE, socket.transport(), socket.base().getAddress(),
						server),
				priority, socket.transport(), mapped, IceCandidateType.SERVER_REFLEXIVE, socket.base(), socket.tcpType());
		add(candidate);
	}

	private void add(IceCandidate candidate) {
		this.candidates.add(candidate);
		this.gathered.accept(candidate);
	}

	private void ended() {
		this.outstanding--;
		finishIfDone();
	}

	private void finishIfDone() {
		Runnable callback = this.done;
		if (this.outstanding == 0 && callback != null) {
			this.done = null;
			callback.run();
		}
	}

}
