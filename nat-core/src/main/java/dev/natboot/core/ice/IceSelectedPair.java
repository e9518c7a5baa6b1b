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

	@Override
	public String toString() {
		return this.local.type().sdpName() + " " + this.local.address() + ":" + this.local.port() + " <-> "
				+ this.remote.type().sdpName() + " " + this.remote.address() + ":" + this.remote.port() + " ("
				+ this.roundTrip.toNanos() / 1000 + " us)";
	}

}
