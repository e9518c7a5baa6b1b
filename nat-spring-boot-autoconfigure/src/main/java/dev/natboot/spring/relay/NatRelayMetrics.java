package dev.natboot.spring.relay;

import dev.natboot.relay.Relay;
import dev.natboot.relay.RelayStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The relay's meters: {@code nat.relay.state} (one gauge per state, 1 for the current one),
 * {@code nat.relay.reconnects}, {@code nat.relay.connections} and {@code nat.relay.connections.open},
 * {@code nat.relay.bytes} by direction (in: to the web server). Read from the relay's counters when scraped.
 */
public class NatRelayMetrics implements MeterBinder {

	private final Relay relay;

	public NatRelayMetrics(Relay relay) {
		this.relay = relay;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (RelayStatus status : RelayStatus.values()) {
			Gauge.builder("nat.relay.state", this.relay, (relay) -> (relay.state().status() == status) ? 1 : 0)
				.tag("state", status.name().toLowerCase(java.util.Locale.ROOT))
				.description("Whether the relay is in this state")
				.register(registry);
		}
		FunctionCounter.builder("nat.relay.reconnects", this.relay, (relay) -> relay.state().reconnects())
			.description("Connects to the relay server after a lost connection")
			.register(registry);
		FunctionCounter.builder("nat.relay.connections", this.relay, (relay) -> relay.state().connections())
			.description("Connections that came through the relay")
			.register(registry);
		Gauge.builder("nat.relay.connections.open", this.relay, (relay) -> relay.state().openConnections())
			.description("Connections through the relay open now")
			.register(registry);
		FunctionCounter.builder("nat.relay.bytes", this.relay, (relay) -> relay.state().bytesIn())
			.tag("direction", "in")
			.baseUnit("bytes")
			.description("Bytes relayed, in: to the web server, out: from it")
			.register(registry);
		FunctionCounter.builder("nat.relay.bytes", this.relay, (relay) -> relay.state().bytesOut())
			.tag("direction", "out")
			.baseUnit("bytes")
			.description("Bytes relayed, in: to the web server, out: from it")
			.register(registry);
	}

}
