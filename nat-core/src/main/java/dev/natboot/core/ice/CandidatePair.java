package dev.natboot.core.ice;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * A local candidate's base and a remote candidate, checked together (RFC 8445 section 6.1.2). A pair is its
 * 5-tuple: the socket and the remote address; its local candidate is the host candidate of that socket, since a
 * reflexive candidate is replaced by its base when pairs are formed. Confined to the agent's loop thread.
 */
final class CandidatePair {

	/** RFC 8445 section 6.1.2.6. */
	enum State {

		FROZEN, WAITING, IN_PROGRESS, SUCCEEDED, FAILED

	}

	final IceSocket socket;

	final IceCandidate local;

	final IceCandidate remote;

	final InetSocketAddress remoteAddress;

	final String foundation;

	State state = State.FROZEN;

	/** Controlled: the peer's check on this pair carried USE-CANDIDATE. */
	boolean nominatedByPeer;

	/** Controlling: a check with USE-CANDIDATE is under way on this pair. */
	boolean nominating;

	/** In the triggered-check queue. */
	boolean triggered;

	/** What the answer to the check showed of the local side: the candidate the peer sees. */
	@Nullable IceCandidate validLocal;

	long roundTripNanos = -1;

	/** When its first check went out, 0 before: how long it has had to answer. */
	long firstCheckNanos;

	IceSocket.@Nullable Transaction check;

	CandidatePair(IceSocket socket, IceCandidate local, IceCandidate remote, InetSocketAddress remoteAddress) {
		this.socket = socket;
		this.local = local;
		this.remote = remote;
		this.remoteAddress = remoteAddress;
		this.foundation = local.foundation() + ":" + remote.foundation();
	}

	/**
	 * The pair's priority for the role this agent has (RFC 8445 section 6.1.2.3), to compare unsigned.
	 */
	long priority(IceRole role) {
		return (role == IceRole.CONTROLLING) ? IcePriorities.pairPriority(this.local.priority(), this.remote.priority())
				: IcePriorities.pairPriority(this.remote.priority(), this.local.priority());
	}

	boolean is(IceSocket socket, InetSocketAddress remoteAddress) {
		return this.socket == socket && this.remoteAddress.equals(remoteAddress);
	}

	boolean pending() {
		return this.state == State.FROZEN || this.state == State.WAITING || this.state == State.IN_PROGRESS;
	}

	void cancelCheck() {
		IceSocket.Transaction current = this.check;
		if (current != null) {
			current.cancel();
			this.check = null;
		}
	}

	@Override
	public String toString() {
		return this.socket.base() + " -> " + this.remoteAddress + " " + this.state;
	}

}
