package dev.natboot.core.ice;

/**
 * What an agent's checks came to, for metrics and for telling a flood from a peer.
 * @param checksSent checks this agent sent, retransmissions not counted
 * @param checksReceived the peer's checks that were answered
 * @param checksRejected checks with a wrong user name, integrity or priority, not answered
 * @param checksDropped checks over the rate limit, dropped before they were read
 * @param datagramsDropped datagrams that came from no selected pair, or found the receive queue full
 */
public record IceCounters(long checksSent, long checksReceived, long checksRejected, long checksDropped,
		long datagramsDropped) {

	/** The loop thread's running counts. */
	static final class Mutable {

		long checksSent;

		long checksReceived;

		long checksRejected;

		long checksDropped;

		long datagramsDropped;

		IceCounters snapshot() {
			return new IceCounters(this.checksSent, this.checksReceived, this.checksRejected, this.checksDropped,
					this.datagramsDropped);
		}

	}

}
