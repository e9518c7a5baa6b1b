package dev.natboot.core.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.Optional;

import dev.natboot.core.NatMode;
import dev.natboot.core.Retransmission;

/**
 * Engines for tests against the fake routers on loopback.
 */
final class TestEngines {

	/** Retransmission sized for loopback, so a silent router costs tests 140 ms, not seconds. */
	static final Retransmission FAST = new Retransmission(Duration.ofMillis(20), Duration.ofMillis(80), 3);

	private TestEngines() {
	}

	/**
	 * Fast schedules, and a gateway lookup that fails the test if it is ever used: tests never look up this
	 * machine's real gateway.
	 * @param mode the mode, naming a fake router
	 * @return the builder
	 */
	static MappingEngineBuilder fastBuilder(NatMode mode) {
		return MappingEngine.builder()
			.mode(mode)
			.retransmission(FAST)
			.retryBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
			.ssdpNotifyPort(0)
			.gatewayDiscovery(() -> {
				throw new AssertionError("tests never look up this machine's real gateway");
			})
			// Nor its IPv6 router and addresses: no pinholes unless a test injects where they go.
			.ipv6Discovery(Optional::empty, (name) -> Optional.empty());
	}

	/**
	 * A UDP port free on loopback just now, for a listener a test sends to.
	 * @return the port
	 */
	static int freeUdpPort() {
		try (DatagramSocket socket = new DatagramSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
