package dev.natboot.core.ice;

import java.time.Duration;

/**
 * The pair an ICE connection sends and receives on.
 * @param local this agent's candidate as the peer sees it: host when nothing translates, server-reflexive or
 *     peer-reflexive when a NAT does (the address the peer's answer reported)
 * @param remote the peer's candidate, peer-reflexive when it was learnt from the peer's own check
 * @param roundTrip the round trip of the check that validated the pair
 */
public record IceSelectedPair(IceCandidate local, IceCandidate remote, Duration roundTrip) {

	/**
	 * Whether the datagrams go straight to the peer, with no relay on the way.
	 * @return false when either candidate is relayed
	 */
	public boolean direct() {
		return this.local.type() != IceCandidateType.RELAYED && this.remote.type() != IceCandidateType.RELAYED;
	}

	/**
	 * The pair's transport.
	 * @return UDP, or TCP for an ICE-TCP pair (RFC 6544)
	 */
	public dev.natboot.core.Transport transport() {
		return this.local.transport();
	}

	/** {@code TYPE ADDRESS:PORT <-> TYPE ADDRESS:PORT (RTT us)}, each TCP endpoint followed by /tcp-TCPTYPE. */
	@Override
	public String toString() {
		return this.local.type().sdpName() + " " + endpoint(this.local) + " <-> " + this.remote.type().sdpName() + " "
				+ endpoint(this.remote) + " (" + this.roundTrip.toNanos() / 1000 + " us)";
	}

	private static String endpoint(IceCandidate candidate) {
		String endpoint = candidate.address() + ":" + candidate.port();
		IceTcpType tcpType = candidate.tcpType();
		return (tcpType != null) ? endpoint + "/tcp-" + tcpType.sdpName() : endpoint;
	}

}
