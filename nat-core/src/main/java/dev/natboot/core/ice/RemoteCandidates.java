package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The peer's candidates an agent can check: the UDP and TCP candidates of component 1 its description names with
 * an IP address, and the peer-reflexive ones its checks reveal (RFC 8445 section 7.3.1.3), at most
 * {@value #MAX_PEER_REFLEXIVE} of those. Loop thread only.
 */
final class RemoteCandidates {

	/** The most peer-reflexive candidates a peer's checks can add: more would only be a flood's. */
	static final int MAX_PEER_REFLEXIVE = 16;

	/** A description holds at most 64; trickled ones count too, and peer-reflexive ones come on top. */
	static final int MAX_CANDIDATES = IceDescription.MAX_CANDIDATES;

	private final List<IceCandidate> candidates = new ArrayList<>();

	private int peerReflexive;

	void addAll(IceDescription description) {
		description.candidates().forEach(this::add);
	}

	/**
	 * Adds a candidate this agent can check, unless it has one at that address, or {@value #MAX_CANDIDATES}.
	 * @return whether it was added
	 */
	boolean add(IceCandidate candidate) {
		if (candidate.component() != 1 || candidate.socketAddress().isEmpty()
				|| this.candidates.size() >= MAX_CANDIDATES) {
			return false;
		}
		InetSocketAddress address = candidate.socketAddress().get();
		for (IceCandidate known : this.candidates) {
			if (known.transport() == candidate.transport() && known.tcpType() == candidate.tcpType()
					&& address.equals(known.socketAddress().orElse(null))) {
				return false;
			}
		}
		this.candidates.add(candidate);
		return true;
	}

	List<IceCandidate> all() {
		return List.copyOf(this.candidates);
	}

	/**
	 * The candidate at an address the peer's check came from: a known one, or a new peer-reflexive one.
	 * @param socket the socket the check came in on, whose transport the candidate has
	 * @return the candidate; {@code null} when the peer revealed too many already
	 */
	@Nullable IceCandidate at(IceSocket socket, InetSocketAddress source, long priority) {
		IceTcpType tcpType = peerTcpType(socket.tcpType());
		for (IceCandidate candidate : this.candidates) {
			if (candidate.transport() == socket.transport() && candidate.tcpType() == tcpType
					&& source.equals(candidate.socketAddress().orElse(null))) {
				return candidate;
			}
		}
		if (this.peerReflexive >= MAX_PEER_REFLEXIVE) {
			return null;
		}
		this.peerReflexive++;
		IceCandidate learnt = IceCandidate.of("prflx" + this.peerReflexive, priority, socket.transport(), source,
				IceCandidateType.PEER_REFLEXIVE, null, tcpType);
		this.candidates.add(learnt);
		return learnt;
	}

	/** The TCP type of a peer's candidate a connection of ours with this type connects to (RFC 6544 section 6.2). */
	private static @Nullable IceTcpType peerTcpType(@Nullable IceTcpType local) {
		if (local == null) {
			return null;
		}
		return switch (local) {
			case ACTIVE -> IceTcpType.PASSIVE;
			case PASSIVE -> IceTcpType.ACTIVE;
			case SIMULTANEOUS_OPEN -> IceTcpType.SIMULTANEOUS_OPEN;
		};
	}

	/**
	 * Whether a local socket and a remote candidate make a pair this agent checks (RFC 8445 section 6.1.2.2, RFC
	 * 6544 section 6.2): same transport and family; on TCP an active candidate with a passive one and a
	 * simultaneous-open one with another; a passive candidate checks nothing of its own, it answers the
	 * connections the peer's active candidates open, and those pairs form when their checks arrive.
	 */
	static boolean pairable(IceSocket socket, IceCandidate remote) {
		InetSocketAddress target = remote.socketAddress().orElse(null);
		if (target == null || remote.transport() != socket.transport() || !pairable(socket.base(), target)) {
			return false;
		}
		IceTcpType local = socket.tcpType();
		return local == null || (local != IceTcpType.PASSIVE && remote.tcpType() == peerTcpType(local));
	}

	/** Whether a local base and a remote address make a pair (RFC 8445 section 6.1.2.2). */
	static boolean pairable(InetSocketAddress base, InetSocketAddress target) {
		return base.getAddress().getClass() == target.getAddress().getClass()
				&& base.getAddress().isLinkLocalAddress() == target.getAddress().isLinkLocalAddress()
				&& !target.getAddress().isMulticastAddress() && !target.getAddress().isAnyLocalAddress()
				&& target.getPort() != 0;
	}

}
