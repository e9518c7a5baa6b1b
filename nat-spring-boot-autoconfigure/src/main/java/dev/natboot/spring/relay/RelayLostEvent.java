package dev.natboot.spring.relay;

import dev.natboot.relay.RelayErrorKind;
import dev.natboot.relay.RelayState;
import dev.natboot.spring.event.NatEvent;

/**
 * The relay is wanted and not up: a connect failed, or the connection was lost. Published once per change of
 * error, not for every retry that fails the same way.
 */
public class RelayLostEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final transient RelayState state;

	private final RelayErrorKind kind;

	private final String reason;

	public RelayLostEvent(Object source, RelayState state, RelayErrorKind kind, String reason) {
		super(source);
		this.state = state;
		this.kind = kind;
		this.reason = reason;
	}

	public RelayState getState() {
		return this.state;
	}

	/** @return what went wrong, typed: host key, authentication, forward refused, server unreachable, lost */
	public RelayErrorKind getKind() {
		return this.kind;
	}

	/** @return what went wrong, in words that say what to fix (never a secret) */
	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "Relay lost (" + this.kind + "): " + this.reason;
	}

}
