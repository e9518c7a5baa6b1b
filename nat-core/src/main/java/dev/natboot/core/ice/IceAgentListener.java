package dev.natboot.core.ice;

/**
 * Hears what an ICE agent does, on the agent's event loop thread: keep each call short and never block. Every
 * method has an empty default, so a listener implements only what it needs.
 */
public interface IceAgentListener {

	/**
	 * A local candidate was gathered: with trickle ICE, the moment to send it to the peer.
	 * @param candidate the candidate
	 */
	default void candidateGathered(IceCandidate candidate) {
	}

	/**
	 * Gathering ended: every local candidate is known.
	 * @param description this agent's description, credentials and candidates
	 */
	default void gatheringCompleted(IceDescription description) {
	}

	/**
	 * Checking started: the peer's description is known and the first checks go out.
	 * @param remote the peer's description
	 */
	default void checkingStarted(IceDescription remote) {
	}

	/**
	 * A connectivity check succeeded: the pair is valid.
	 * @param pair the pair, as it would be selected
	 */
	default void checkSucceeded(IceSelectedPair pair) {
	}

	/**
	 * A role conflict made this agent change its role (RFC 8445 section 7.3.1.1).
	 * @param role the role it has now
	 */
	default void roleChanged(IceRole role) {
	}

	/**
	 * A pair was nominated and selected: the connection is ready.
	 * @param pair the selected pair
	 */
	default void connected(IceSelectedPair pair) {
	}

	/**
	 * The agent failed to connect, lost its connection's consent, or was closed.
	 * @param failure why
	 */
	default void failed(IceException failure) {
	}

}
