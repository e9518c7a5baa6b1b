package dev.natboot.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.Transport;
import dev.natboot.core.ice.IceAgent;
import dev.natboot.core.ice.IceConnection;
import dev.natboot.core.ice.IceDescription;
import dev.natboot.core.ice.IceRole;
import dev.natboot.spring.endpoint.NatEndpoint;
import dev.natboot.spring.event.NatEvent;
import dev.natboot.spring.ice.IceAgentSettings;
import dev.natboot.spring.ice.IceAgents;
import dev.natboot.spring.ice.IceConnectedEvent;
import dev.natboot.spring.ice.NatIceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatIceAutoConfigurationTests {

	/** No router is ever asked: the engine points at a closed port on loopback, host candidates are on loopback. */
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, NatIceAutoConfiguration.class))
		.withPropertyValues("nat.mode=pcp:127.0.0.1:9", "nat.ice.local-addresses=127.0.0.1");

	@Test
	void providesIceAgentsByDefaultBuiltWithTheApplicationsStunTurnAndIceSettings() {
		this.contextRunner
			.withPropertyValues("nat.stun.servers=192.0.2.7:3478", "nat.turn.servers=turn:192.0.2.8",
					"nat.turn.username=user", "nat.turn.password=secret-password", "nat.ice.pacing=25ms",
					"nat.ice.connect-timeout=4s", "nat.ice.consent-interval=2s", "nat.ice.consent-timeout=9s",
					"nat.ice.transports=udp,tcp")
			.run((context) -> {
				IceAgentSettings settings = context.getBean(IceAgents.class).settings();
				assertThat(settings.stunServers()).extracting(Object::toString).containsExactly("192.0.2.7:3478");
				assertThat(settings.turnServers()).hasSize(1);
				assertThat(settings.turnCredentials()).isNotNull();
				assertThat(settings.localAddresses()).containsExactly(InetAddress.getByName("127.0.0.1"));
				assertThat(settings.pacing()).isEqualTo(Duration.ofMillis(25));
				assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
				assertThat(settings.consentTimeout()).isEqualTo(Duration.ofSeconds(9));
				assertThat(settings.transports()).containsExactlyInAnyOrder(Transport.UDP, Transport.TCP);
				assertThat(settings.toString()).doesNotContain("secret-password");
				assertThat(context).hasSingleBean(NatIceMetrics.class);
			});
	}

	@Test
	void isNotCreatedAtStartupWhenNothingAsksForIt() {
		this.contextRunner.run((context) -> assertThat(context.getBeanFactory().containsSingleton("natIceAgents"))
			.as("lazy: an app that never creates an agent pays nothing for it at startup").isFalse());
	}

	@Test
	void backsOffWhenDisabledOrWhenTheApplicationHasItsOwn() {
		this.contextRunner.withPropertyValues("nat.ice.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IceAgents.class));
		this.contextRunner.withPropertyValues("nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IceAgents.class));
		this.contextRunner.withUserConfiguration(OwnAgents.class)
			.run((context) -> assertThat(context.getBean(IceAgents.class)).isSameAs(context.getBean("ownAgents")));
	}

	@Test
	void worksWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(NatIceMetrics.class);
			assertThat(context).hasSingleBean(IceAgents.class);
		});
	}

	@Test
	void badIceSettingsFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("nat.ice.pacing=1ms")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("nat.ice.pacing"));
		this.contextRunner.withPropertyValues("nat.ice.consent-interval=10s", "nat.ice.consent-timeout=5s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.ice.consent-timeout"));
		this.contextRunner.withPropertyValues("nat.ice.transports=")
			.run((context) -> assertThat(context).getFailure().rootCause()
				.hasMessageContaining("nat.ice.transports"));
		this.contextRunner.withPropertyValues("nat.ice.local-port=70000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.ice.local-port"));
	}

	@Test
	void withTcpAsTheirTransportAgentsConnectOverIceTcpAndTheMetersAndEndpointSayTcp() {
		this.contextRunner.withUserConfiguration(Meters.class)
			.withConfiguration(AutoConfigurations.of(NatEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=nat", "nat.ice.transports=tcp")
			.run((context) -> {
				IceAgents agents = context.getBean(IceAgents.class);
				try (IceAgent one = agents.create(IceRole.CONTROLLING); IceAgent two = agents.create(IceRole.CONTROLLED)) {
					IceDescription first = one.gather().get(5, TimeUnit.SECONDS);
					IceDescription second = two.gather().get(5, TimeUnit.SECONDS);
					assertThat(first.candidates()).allSatisfy(
							(candidate) -> assertThat(candidate.transport()).isEqualTo(Transport.TCP));
					CompletableFuture<IceConnection> a = one.connect(second, agents.connectTimeout());
					CompletableFuture<IceConnection> b = two.connect(first, agents.connectTimeout());
					assertThat(a.get(10, TimeUnit.SECONDS).selectedPair().transport()).isEqualTo(Transport.TCP);
					b.get(10, TimeUnit.SECONDS);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					// the active side sees itself peer-reflexive (its connection's own port): one timer per pair of types
					await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("nat.ice.connect")
						.tag("transport", "tcp").timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count)
						.sum() == 2);
					NatEndpoint.IceDescriptor ice = context.getBean(NatEndpoint.class).nat().ice();
					assertThat(ice).isNotNull();
					assertThat(ice.lastPair()).contains("/tcp-");
				}
			});
	}

	@Test
	void twoAgentsConnectAndTheirConnectionsBecomeEventsMetersAndTheEndpointsIceSection() {
		this.contextRunner.withUserConfiguration(Meters.class, Events.class)
			.withConfiguration(AutoConfigurations.of(NatEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=nat")
			.run((context) -> {
				IceAgents agents = context.getBean(IceAgents.class);
				try (IceAgent one = agents.create(IceRole.CONTROLLING); IceAgent two = agents.create(IceRole.CONTROLLED)) {
					IceDescription first = one.gather().get(5, TimeUnit.SECONDS);
					IceDescription second = two.gather().get(5, TimeUnit.SECONDS);
					CompletableFuture<IceConnection> a = one.connect(second, agents.connectTimeout());
					CompletableFuture<IceConnection> b = two.connect(first, agents.connectTimeout());
					a.get(10, TimeUnit.SECONDS);
					b.get(10, TimeUnit.SECONDS);
					Events events = context.getBean(Events.class);
					await().atMost(Duration.ofSeconds(5)).until(() -> events.received.size() == 2);
					assertThat(events.received).allSatisfy((event) -> {
						assertThat(event).isInstanceOf(IceConnectedEvent.class);
						assertThat(event.getEngine()).isNull();
						assertThat(((IceConnectedEvent) event).getPair().local().type().sdpName()).isEqualTo("host");
					});
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(registry.get("nat.ice.connect").tag("local.type", "host").tag("remote.type", "host")
						.tag("transport", "udp").timer().count()).isEqualTo(2);
					NatEndpoint.IceDescriptor ice = context.getBean(NatEndpoint.class).nat().ice();
					assertThat(ice).isNotNull();
					assertThat(ice.open()).isEqualTo(2);
					assertThat(ice.connected()).isEqualTo(2);
					assertThat(ice.lastPair()).contains("host 127.0.0.1");
				}
				await().atMost(Duration.ofSeconds(5))
					.until(() -> context.getBean(NatEndpoint.class).nat().ice().open() == 0);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAgents {

		@Bean
		IceAgents ownAgents() {
			return new IceAgents(new IceAgentSettings(List.of(), List.of(), null, List.of(), 0, Duration.ofMillis(20),
					Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30), 100, Duration.ofSeconds(10)),
					(event) -> {
					}, null, Thread::new);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	static class Events implements ApplicationListener<NatEvent> {

		final List<NatEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(NatEvent event) {
			this.received.add(event);
		}

	}

}
