package dev.natboot.spring.ice;

import dev.natboot.core.ice.IceException;
import dev.natboot.spring.event.NatEvent;

/**
 * An ICE agent of {@link IceAgents} did not connect in time, lost its connection's consent, or could not gather
 * a single candidate. Closing an agent is no failure and publishes nothing.
 */
public class IceFailedEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final IceException.Reason reason;

	private final String message;

	public IceFailedEvent(Object source, IceException.Reason reason, String message) {
		super(source);
		this.reason = reason;
		this.message = message;
	}

	/** @return what went wrong, typed */
	public IceException.Reason getReason() {
		return this.reason;
	}

	/** @return what went wrong, in words (addresses and counts, never credentials) */
	public String getMessage() {
		return this.message;
	}

	@Override
	public String toString() {
		return "ICE failed (" + this.reason + "): " + this.message;
	}

}
