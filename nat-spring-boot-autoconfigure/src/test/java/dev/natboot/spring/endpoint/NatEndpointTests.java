package dev.natboot.spring.endpoint;

import java.time.Duration;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatEndpointTests {

	private final MappingEngine engine = MappingEngine.builder().mode(NatMode.of("extip:198.51.100.9")).build();

	private final NatEndpoint endpoint = new NatEndpoint(this.engine);

	@AfterEach
	void close() {
		this.engine.close();
	}

	@Test
	void describesEveryMappingAndTheMode() {
		this.engine.add(new MappingSpec("server", Transport.TCP, 8080, 80, Duration.ofMinutes(3), "web"));
		awaitState("server", "ACTIVE");
		NatEndpoint.NatDescriptor nat = this.endpoint.nat();
		assertThat(nat.mode()).isEqualTo("extip:198.51.100.9");
		NatEndpoint.MappingDescriptor server = nat.mappings().get("server");
		assertThat(server.transport()).isEqualTo("TCP");
		assertThat(server.internalPort()).isEqualTo(8080);
		assertThat(server.externalAddress()).isEqualTo("198.51.100.9");
		assertThat(server.externalPort()).isEqualTo(80);
		assertThat(server.protocol()).isEqualTo("manual");
		assertThat(server.confirmedAt()).isNotNull();
		assertThat(server.timeToConfirmMillis()).isNotNull();
		assertThat(server.lastError()).isNull();
		assertThat(server.reachability().status()).isEqualTo("UNVERIFIED");
		assertThat(server.reachability().reason()).contains("nat.turn.servers");
	}

	@Test
	void selectsOneMappingByNameAndNothingForAnUnknownOne() {
		this.engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "web"));
		assertThat(this.endpoint.mapping("server")).isNotNull();
		assertThat(this.endpoint.mapping("nope")).isNull();
		assertThat(this.endpoint.act("nope", NatEndpoint.Action.REMAP)).isNull();
	}

	@Test
	void overHttpAnUnknownMappingIsNotFoundForWritesToo() {
		NatEndpointWebExtension web = new NatEndpointWebExtension(this.endpoint);
		assertThat(web.act("nope", NatEndpoint.Action.RELEASE).getStatus()).isEqualTo(404);
		this.engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "web"));
		assertThat(web.act("server", NatEndpoint.Action.REMAP).getStatus()).isEqualTo(200);
	}

	@Test
	void releasesAndRemapsOneMapping() {
		this.engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "web"));
		awaitState("server", "ACTIVE");
		assertThat(this.endpoint.act("server", NatEndpoint.Action.RELEASE)).isNotNull();
		awaitState("server", "REMOVED");
		assertThat(this.endpoint.act("server", NatEndpoint.Action.REMAP)).isNotNull();
		awaitState("server", "ACTIVE");
	}

	private void awaitState(String name, String state) {
		await().atMost(Duration.ofSeconds(2))
			.until(() -> this.engine.mapping(name).map(Mapping::state).map(Enum::name).orElse("").equals(state));
	}

}
