package dev.natboot.core.ice;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;

/**
 * Why an ICE agent did not connect or lost its connection. Messages name addresses and counts, never the
 * credentials.
 */
public class IceException extends NatException {

	private static final long serialVersionUID = 1L;

	/** What went wrong. */
	public enum Reason {

		/** No pair succeeded and was nominated within the connect timeout. */
		TIMEOUT(NatErrorKind.NO_RESPONSE),

		/** The remote description cannot be used: this agent's own, or without anything to check. */
		BAD_DESCRIPTION(NatErrorKind.MALFORMED_RESPONSE),

		/** No local address could be used: no socket could be opened on any of them. */
		NO_LOCAL_CANDIDATES(NatErrorKind.IO_ERROR),

		/** The peer stopped answering consent checks (RFC 7675): the path is gone or the peer withdrew. */
		CONSENT_LOST(NatErrorKind.NETWORK_FAILURE),

		/** The agent was closed before it connected, or the connection was closed. */
		CLOSED(NatErrorKind.IO_ERROR),

		/** The agent was asked to do something its state does not allow (connect twice, for one). */
		ILLEGAL_STATE(NatErrorKind.UNSUPPORTED_OPERATION);

		private final NatErrorKind kind;

		Reason(NatErrorKind kind) {
			this.kind = kind;
		}

	}

	private final Reason reason;

	public IceException(Reason reason, String message) {
		super(reason.kind, NatProtocol.ICE, message);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
