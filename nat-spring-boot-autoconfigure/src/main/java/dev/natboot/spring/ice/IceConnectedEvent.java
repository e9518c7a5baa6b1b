package dev.natboot.spring.ice;

import java.time.Duration;

import dev.natboot.core.ice.IceSelectedPair;
import dev.natboot.spring.event.NatEvent;

/** An ICE agent of {@link IceAgents} connected: the pair it selected, and how long checking took. */
public class IceConnectedEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final transient IceSelectedPair pair;

	private final Duration took;

	public IceConnectedEvent(Object source, IceSelectedPair pair, Duration took) {
		super(source);
		this.pair = pair;
		this.took = took;
	}

	/** @return the selected pair: its candidates' types and addresses, the round trip of its check */
	public IceSelectedPair getPair() {
		return this.pair;
	}

	/** @return from the peer's description known to the pair selected */
	public Duration getTook() {
		return this.took;
	}

	@Override
	public String toString() {
		return "ICE connected in " + this.took.toMillis() + " ms: " + this.pair;
	}

}
