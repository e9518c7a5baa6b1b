package dev.natboot.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The fallback policy against real engines that need no router: {@code extip:} (a mapping made by hand, on a
 * public or a shared address) and {@code none}.
 */
class RelayManagerTests {

	private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

	private final RecordingRelay relay = new RecordingRelay();

	private MappingEngine engine;

	private RelayManager manager;

	@AfterEach
	void close() {
		if (this.manager != null) {
			this.manager.close(Duration.ofSeconds(1));
		}
		if (this.engine != null) {
			this.engine.close(Duration.ofSeconds(1));
		}
	}

	@Test
	void aMappingOnAPublicAddressNeedsNoRelay() throws Exception {
		start("extip:198.51.100.9", RelayMode.FALLBACK);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.manager.reason().orElse("").startsWith("mapped at"));
		assertThat(this.relay.calls).isEmpty();
		assertThat(this.manager.reason()).hasValue("mapped at 198.51.100.9:8080");
	}

	@Test
	void aMappingBehindCarrierGradeNatOpensTheRelay() throws Exception {
		start("extip:100.64.0.1", RelayMode.FALLBACK);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.relay.calls.contains("open " + SERVER));
		assertThat(this.manager.reason().orElseThrow()).contains("behind another NAT", "100.64.0.1");
		assertThat(this.relay.calls).containsExactly("open " + SERVER);
	}

	@Test
	void anEngineThatMapsNothingOpensTheRelay() {
		this.engine = MappingEngine.builder().mode(NatMode.NONE).build();
		this.manager = new RelayManager(this.relay, RelayMode.FALLBACK, this.engine, "server", null, null);
		this.manager.start(SERVER);
		assertThat(this.relay.calls).containsExactly("open " + SERVER);
		assertThat(this.manager.reason().orElseThrow()).startsWith("no mapping");
	}

	@Test
	void modeAlwaysOpensTheRelayWhateverTheMapping() throws Exception {
		start("extip:198.51.100.9", RelayMode.ALWAYS);
		assertThat(this.relay.calls).containsExactly("open " + SERVER);
		assertThat(this.manager.reason()).hasValue("nat.relay.mode is always");
	}

	@Test
	void stopReleasesTheRelayAndStartOpensItAgain() throws Exception {
		start("extip:100.64.0.1", RelayMode.FALLBACK);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.relay.calls.contains("open " + SERVER));
		this.manager.stop();
		assertThat(this.relay.calls).endsWith("release");
		this.manager.start(SERVER);
		assertThat(this.relay.calls).endsWith("open " + SERVER);
	}

	@Test
	void neverIsNotAManagersMode() {
		this.engine = MappingEngine.builder().mode(NatMode.NONE).build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RelayManager(this.relay, RelayMode.NEVER, this.engine, "server", null, null));
	}

	@Test
	void modesAreReadAsUsersWriteThem() {
		assertThat(RelayMode.parse(" Fallback ")).isEqualTo(RelayMode.FALLBACK);
		assertThatIllegalArgumentException().isThrownBy(() -> RelayMode.parse("sometimes"))
			.withMessageContaining("fallback, always or never");
	}

	private void start(String mode, RelayMode relayMode) {
		this.engine = MappingEngine.builder().mode(NatMode.of(mode)).build();
		this.manager = new RelayManager(this.relay, relayMode, this.engine, "server", null, null);
		this.manager.start(SERVER);
		this.engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "web"));
	}

	/** Records what the manager asks of it; the relay itself is tested against real servers. */
	static final class RecordingRelay implements Relay {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public void open(InetSocketAddress target) {
			this.calls.add("open " + target);
		}

		@Override
		public void release() {
			this.calls.add("release");
		}

		@Override
		public RelayState state() {
			return new RelayState(RelayStatus.STANDBY, "ssh://test@relay.example:22", null, Instant.EPOCH, null, 0, null,
					null, null, 0, 0, 0, 0);
		}

		@Override
		public boolean isRelayed(InetSocketAddress peer) {
			return false;
		}

		@Override
		public void addListener(RelayListener listener) {
		}

		@Override
		public void removeListener(RelayListener listener) {
		}

		@Override
		public void close(Duration timeout) {
			this.calls.add("close");
		}

	}

}
