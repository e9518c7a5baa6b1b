package dev.natboot.spring.ice;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import dev.natboot.core.ice.IceException;
import dev.natboot.core.ice.IceSelectedPair;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The ICE agents' meters, registered when the first agent reports: {@code nat.ice.connect} (a timer of checking,
 * from the peer's description known to the selected pair, by the selected pair's local and remote candidate types:
 * host, srflx, prflx, relay, and its transport: udp, or tcp for ICE-TCP) and {@code nat.ice.failures} (by reason: timeout, consent_lost, ...).
 */
public class NatIceMetrics implements IceAgents.Listener {

	private final Supplier<@Nullable MeterRegistry> registry;

	public NatIceMetrics(Supplier<@Nullable MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void connected(IceSelectedPair pair, Duration took) {
		MeterRegistry meters = this.registry.get();
		if (meters == null) {
			return;
		}
		Timer.builder("nat.ice.connect")
			.description("Time from the peer's ICE description known to the pair selected")
			.tag("local.type", pair.local().type().sdpName())
			.tag("remote.type", pair.remote().type().sdpName())
			.tag("transport", pair.transport().name().toLowerCase(Locale.ROOT))
			.register(meters)
			.record(took);
	}

	@Override
	public void failed(IceException failure, Duration took) {
		MeterRegistry meters = this.registry.get();
		if (meters == null) {
			return;
		}
		Counter.builder("nat.ice.failures")
			.description("ICE agents that did not connect, or lost their connection's consent")
			.tag("reason", failure.reason().name().toLowerCase(Locale.ROOT))
			.register(meters)
			.increment();
	}

}
