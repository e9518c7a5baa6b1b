package dev.natboot.spring.relay;

import dev.natboot.relay.RelayState;
import dev.natboot.spring.event.NatEvent;

/** The relay forwards its public endpoint to the web server: the first connect, or a reconnect. */
public class RelayConnectedEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final transient RelayState state;

	public RelayConnectedEvent(Object source, RelayState state) {
		super(source);
		this.state = state;
	}

	/** @return the relay, connected: its public endpoint, how long the connect took, reconnects so far */
	public RelayState getState() {
		return this.state;
	}

	@Override
	public String toString() {
		return "Relay connected: " + this.state.publicEndpoint() + " through " + this.state.server();
	}

}
