package dev.natboot.spring.relay;

import dev.natboot.relay.RelayException;
import dev.natboot.relay.RelayListener;
import dev.natboot.relay.RelayState;

import org.springframework.context.ApplicationEventPublisher;

/** Publishes {@link RelayConnectedEvent} and {@link RelayLostEvent}, on the relay's thread, never the main one. */
public class NatRelayEventPublisher implements RelayListener {

	private final ApplicationEventPublisher publisher;

	public NatRelayEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void relayConnected(RelayState state) {
		this.publisher.publishEvent(new RelayConnectedEvent(this, state));
	}

	@Override
	public void relayLost(RelayState state, RelayException cause) {
		this.publisher.publishEvent(new RelayLostEvent(this, state, cause.kind(), String.valueOf(cause.getMessage())));
	}

}
