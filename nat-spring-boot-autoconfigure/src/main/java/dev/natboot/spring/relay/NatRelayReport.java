package dev.natboot.spring.relay;

import java.util.Locale;

import dev.natboot.relay.RelayManager;
import dev.natboot.relay.RelayState;
import dev.natboot.spring.RelayReport;
import dev.natboot.spring.endpoint.NatEndpoint;
import dev.natboot.spring.endpoint.RelayDescriptor;

/** Reads the relay manager for health and the endpoint; never blocks, never talks to the server. */
public class NatRelayReport implements RelayReport {

	private final RelayManager manager;

	public NatRelayReport(RelayManager manager) {
		this.manager = manager;
	}

	@Override
	public RelayDescriptor describe() {
		RelayState state = this.manager.relay().state();
		RelayDescriptor.RelayError error = (state.lastError() != null && state.lastErrorKind() != null)
				? new RelayDescriptor.RelayError(state.lastErrorKind().name(), state.lastError(), state.lastErrorAt())
				: null;
		return new RelayDescriptor(this.manager.mode().name().toLowerCase(Locale.ROOT), state.status().name(),
				state.server(), state.publicEndpoint(), this.manager.reason().orElse(null), state.since(),
				(state.connectedIn() != null) ? state.connectedIn().toMillis() : null, state.reconnects(), error,
				state.connections(), state.openConnections(), state.bytesIn(), state.bytesOut(),
				NatEndpoint.ReachabilityDescriptor.of(this.manager.relayReachability()));
	}

}
