package dev.natboot.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natboot.core.InvalidNatModeException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.spring.NatMappingLifecycle;
import dev.natboot.spring.NatReachabilityLogger;
import dev.natboot.spring.WebServerPortMapper;
import dev.natboot.spring.NatModeConverter;
import dev.natboot.spring.event.MappingCreatedEvent;
import dev.natboot.spring.event.NatEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class NatAutoConfigurationTests {

	/**
	 * Tests never probe this machine's real gateway: the mode points at a closed port on loopback unless a test
	 * sets another that talks to no router.
	 */
	private static final String LOOPBACK_ROUTER = "nat.mode=pcp:127.0.0.1:9";

	/** These tests are about a working engine: they opt in, as a user's test that means to map would. */
	private static final String NOT_SKIPPED = "nat.skip.in-tests=false";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class))
		.withPropertyValues(LOOPBACK_ROUTER, NOT_SKIPPED);

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class))
		.withPropertyValues(LOOPBACK_ROUTER, NOT_SKIPPED);

	@Test
	void providesTheEngineWithDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MappingEngine.class)
				.hasSingleBean(NatMappingLifecycle.class)
				.hasSingleBean(NatReachabilityLogger.class);
			assertThat(context.getBean(MappingEngine.class).mode()).isEqualTo(NatMode.of("pcp:127.0.0.1:9"));
			NatProperties properties = context.getBean(NatProperties.class);
			assertThat(properties.getLease()).isEqualTo(Duration.ofMinutes(3));
			assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	/**
	 * An ordinary test of an application with the starter: natboot stays inert, as Boot's Docker Compose support
	 * does in tests. No socket, no probe, no mapping, whatever the mode; health and the endpoint say why.
	 */
	@Test
	void isInertInTestsByDefault() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class))
			.withPropertyValues("nat.mappings.game.internal-port=27015")
			.run((context) -> {
				MappingEngine engine = context.getBean(MappingEngine.class);
				assertThat(engine.mode()).isEqualTo(NatMode.ANY);
				assertThat(engine.isMapping()).isFalse();
				assertThat(engine.inactiveReason()).hasValueSatisfying((reason) -> assertThat(reason)
					.contains("skipped in tests", "nat.skip.in-tests"));
				context.publishEvent(serverStarted(null, 8080));
				assertThat(engine.mappings()).extracting(Mapping::state).containsOnly(MappingState.DISABLED);
				assertThat(engine.mappings()).extracting(Mapping::name).containsExactlyInAnyOrder("server", "game");
				// Its loop never started: no selector, no thread, no socket.
				assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().equals("nat-engine"));
			});
	}

	@Test
	void discoversNothingBeforeThereIsSomethingToMap() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(MappingEngine.class).isMapping()).isTrue();
			// A non-web application with no extra mapping and no STUN server: the engine never even starts its loop.
			assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().equals("nat-engine"));
		});
	}

	@Test
	void defaultModeIsAny() {
		assertThat(new NatProperties().getMode()).isEqualTo(NatMode.ANY);
	}

	@Test
	void backsOffWhenDisabled() {
		this.webContextRunner.withPropertyValues("nat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MappingEngine.class)
				.doesNotHaveBean(WebServerPortMapper.class)
				.doesNotHaveBean(NatMappingLifecycle.class));
	}

	@Test
	void backsOffFromAUserDefinedEngine() {
		this.contextRunner.withBean("myEngine", MappingEngine.class, () -> MappingEngine.builder().mode(NatMode.NONE).build())
			.run((context) -> {
				assertThat(context).hasSingleBean(MappingEngine.class).hasBean("myEngine");
				assertThat(context.getBean(MappingEngine.class).mode()).isEqualTo(NatMode.NONE);
			});
	}

	@Test
	void bindsEveryModeForm() {
		this.contextRunner.withPropertyValues("nat.mode=pmp:192.0.2.1", "nat.lease=90", "nat.shutdown-timeout=500ms")
			.run((context) -> {
				assertThat(context.getBean(MappingEngine.class).mode()).isEqualTo(NatMode.of("pmp:192.0.2.1"));
				assertThat(context.getBean(NatProperties.class).getLease()).isEqualTo(Duration.ofSeconds(90));
				assertThat(context.getBean(NatProperties.class).getShutdownTimeout()).isEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	void badModeFailsStartupNamingTheAcceptedForms() {
		this.contextRunner.withPropertyValues("nat.mode=upnpp").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidNatModeException.class)
				.hasMessageContaining("unknown mode 'upnpp'")
				.hasMessageContaining("Accepted forms: any, pcp, pmp, upnp, pcp:GATEWAY, pmp:GATEWAY, upnp:GATEWAY, extip:ADDRESS, stun, stun:HOST[:PORT], none");
		});
	}

	@Test
	void badContainerOrInterfaceSettingsFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("nat.container.host-address=my-docker-host")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("nat.container.host-address")
				.hasMessageContaining("IPv4 literal"));
		this.contextRunner.withPropertyValues("nat.container.published-port=70000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.container.published-port"));
		this.contextRunner.withPropertyValues("nat.interface=eth0; rm -rf /")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.interface"));
		this.contextRunner.withPropertyValues("nat.container.host-address=192.0.2.10", "nat.interface=eth0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void badLeaseOrPortFailsStartup() {
		this.contextRunner.withPropertyValues("nat.lease=0").run((context) -> assertThat(context.getStartupFailure())
			.rootCause()
			.isInstanceOf(BindValidationException.class)
			.hasMessageContaining("nat.lease"));
		this.contextRunner.withPropertyValues("nat.server.external-port=70000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.server.external-port"));
		this.contextRunner.withPropertyValues("nat.verification-interval=500ms")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.verification-interval")
				.hasMessageContaining("at least 1s"));
		this.contextRunner.withPropertyValues("nat.max-retry-interval=0s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.max-retry-interval"));
	}

	@Test
	void bindsStunServersAndModeStun() {
		this.contextRunner
			.withPropertyValues("nat.mode=stun:127.0.0.1:9", "nat.stun.servers=127.0.0.1:9,[::1]:9",
					"nat.stun.transport=tcp", "nat.stun.check-interval=1m", "nat.stun.behavior-discovery=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MappingEngine engine = context.getBean(MappingEngine.class);
				assertThat(engine.mode().toSpec()).isEqualTo("stun:127.0.0.1:9");
				assertThat(engine.hasStunServers()).isTrue();
				NatProperties.Stun stun = context.getBean(NatProperties.class).getStun();
				assertThat(stun.getServers()).containsExactly("127.0.0.1:9", "[::1]:9");
				assertThat(stun.getTransport()).isEqualTo(Transport.TCP);
				assertThat(stun.getCheckInterval()).isEqualTo(Duration.ofMinutes(1));
				assertThat(stun.isBehaviorDiscovery()).isFalse();
			});
		this.contextRunner.run((context) -> assertThat(context.getBean(MappingEngine.class).hasStunServers()).isFalse());
	}

	@Test
	void badStunConfigurationFailsStartupWithTheProperty() {
		this.contextRunner.withPropertyValues("nat.stun.servers=127.0.0.1:9,stun.example.net:99999")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("nat.stun.servers[1]")
				.hasMessageContaining("not between 1 and 65535"));
		this.contextRunner.withPropertyValues("nat.mode=stun")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.mode")
				.hasMessageContaining("Mode stun needs a STUN server"));
		this.contextRunner.withPropertyValues("nat.stun.check-interval=1s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.stun.check-interval")
				.hasMessageContaining("at least 10s"));
	}

	@Test
	void mapsTheWebServerPortOnlyInAWebApplication() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WebServerPortMapper.class));
		this.webContextRunner.run((context) -> assertThat(context).hasSingleBean(WebServerPortMapper.class));
		this.webContextRunner.withPropertyValues("nat.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WebServerPortMapper.class)
				.hasSingleBean(MappingEngine.class));
	}

	@Test
	void backsOffWithoutWebServerClasses() {
		this.webContextRunner.withClassLoader(new FilteredClassLoader(WebServerInitializedEvent.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WebServerPortMapper.class)
				.hasSingleBean(MappingEngine.class));
	}

	@Test
	void mapsThePortFromTheServerEventAndIgnoresTheManagementServer() {
		this.webContextRunner.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.server.external-port=80")
			.run((context) -> {
				MappingEngine engine = context.getBean(MappingEngine.class);
				context.publishEvent(serverStarted("management", 8081));
				assertThat(engine.mappings()).isEmpty();
				context.publishEvent(serverStarted(null, 8080));
				await().atMost(Duration.ofSeconds(2)).until(() -> engine.mapping("server").map(Mapping::isActive).orElse(false));
				Mapping mapping = engine.mapping("server").orElseThrow();
				assertThat(mapping.spec().internalPort()).isEqualTo(8080);
				assertThat(mapping.externalPort()).isEqualTo(80);
				assertThat(mapping.protocol()).isEqualTo(NatProtocol.MANUAL);
				assertThat(mapping.externalAddress()).isEqualTo(InetAddress.getByName("198.51.100.9"));
			});
	}

	@Test
	void userListenersHearWhatHappens() {
		RecordingListener listener = new RecordingListener();
		this.webContextRunner.withPropertyValues("nat.mode=extip:198.51.100.9")
			.withBean(RecordingListener.class, () -> listener)
			.run((context) -> {
				context.publishEvent(serverStarted(null, 8080));
				await().atMost(Duration.ofSeconds(2)).until(() -> listener.created != null);
			});
	}

	@Test
	void stoppingTheContextReleasesMappingsAndAStartMapsAgain() {
		this.webContextRunner.withPropertyValues("nat.mode=extip:198.51.100.9").run((context) -> {
			MappingEngine engine = context.getBean(MappingEngine.class);
			context.publishEvent(serverStarted(null, 8080));
			await().atMost(Duration.ofSeconds(2)).until(() -> engine.mapping("server").map(Mapping::isActive).orElse(false));
			context.stop();
			assertThat(engine.mapping("server").orElseThrow().state()).isEqualTo(MappingState.REMOVED);
			context.start();
			context.publishEvent(serverStarted(null, 8080));
			await().atMost(Duration.ofSeconds(2)).until(() -> engine.mapping("server").map(Mapping::isActive).orElse(false));
		});
	}

	@Test
	void mapsExtraPortsFromConfigurationAtStart() {
		this.contextRunner
			.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.mappings.game.internal-port=27015",
					"nat.mappings.game.protocol=udp", "nat.mappings.game.external-port=27016",
					"nat.mappings.admin.internal-port=2222", "nat.mappings.admin.description=ssh")
			.run((context) -> {
				MappingEngine engine = context.getBean(MappingEngine.class);
				await().atMost(Duration.ofSeconds(2)).until(() -> engine.mappings().stream().allMatch(Mapping::isActive)
						&& engine.mappings().size() == 2);
				Mapping game = engine.mapping("game").orElseThrow();
				assertThat(game.spec().transport()).isEqualTo(dev.natboot.core.Transport.UDP);
				assertThat(game.spec().internalPort()).isEqualTo(27015);
				assertThat(game.externalPort()).isEqualTo(27016);
				assertThat(game.spec().description()).isEqualTo("game");
				assertThat(engine.mapping("admin").orElseThrow().spec().description()).isEqualTo("ssh");
			});
	}

	@Test
	void badExtraMappingsFailStartupWithTheProperty() {
		this.contextRunner.withPropertyValues("nat.mappings.game.protocol=udp")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("nat.mappings[game].internal-port"));
		this.contextRunner.withPropertyValues("nat.mappings.a.internal-port=5000", "nat.mappings.b.internal-port=5000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("nat.mappings[b].internal-port")
				.hasMessageContaining("each port is mapped once"));
		this.contextRunner.withPropertyValues("nat.mappings.server.internal-port=5000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("is taken"));
		this.contextRunner.withPropertyValues("nat.mappings.a.internal-port=70000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("between 1 and 65535"));
	}

	@Test
	void mapsTheManagementPortOnlyWhenAsked() {
		this.webContextRunner.withPropertyValues("nat.mode=extip:198.51.100.9", "nat.management.enabled=true")
			.run((context) -> {
				MappingEngine engine = context.getBean(MappingEngine.class);
				context.publishEvent(serverStarted("management", 8081));
				await().atMost(Duration.ofSeconds(2))
					.until(() -> engine.mapping("management").map(Mapping::isActive).orElse(false));
				assertThat(engine.mapping("management").orElseThrow().spec().internalPort()).isEqualTo(8081);
			});
	}

	@Test
	void releasesBeforeGracefulShutdown() {
		assertThat(NatMappingLifecycle.PHASE).isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
	}

	@Test
	void bindsTheModeWithItsOwnConverter() {
		this.contextRunner.withPropertyValues("nat.mode= PCP:192.0.2.1 ").run((context) -> {
			assertThat(context).hasSingleBean(NatModeConverter.class);
			assertThat(context.getBean(NatProperties.class).getMode()).isEqualTo(NatMode.of("pcp:192.0.2.1"));
		});
	}

	/** The application's own engine: its configuration is still checked, with the property's name, never an NPE. */
	@Test
	void validatesThePropertiesAlsoWithAUserDefinedEngine() {
		this.contextRunner.withBean("myEngine", MappingEngine.class, () -> MappingEngine.builder().mode(NatMode.NONE).build())
			.withPropertyValues("nat.mappings.game.protocol=udp")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("nat.mappings[game].internal-port")
				.hasMessageContaining("needs an internal port"));
	}

	@Test
	void appliesBuilderCustomizersInOrderAfterTheProperties() {
		this.contextRunner.withPropertyValues("nat.mode=extip:198.51.100.1")
			.withUserConfiguration(OrderedCustomizers.class)
			.run((context) -> assertThat(context.getBean(MappingEngine.class).mode())
				.isEqualTo(NatMode.of("extip:198.51.100.3")));
	}

	@Test
	void customizersAreNotAppliedToAUserDefinedEngine() {
		this.contextRunner.withUserConfiguration(OrderedCustomizers.class)
			.withBean("myEngine", MappingEngine.class, () -> MappingEngine.builder().mode(NatMode.NONE).build())
			.run((context) -> assertThat(context.getBean(MappingEngine.class).mode()).isEqualTo(NatMode.NONE));
	}

	/**
	 * natboot's listeners (its Spring events, its log lines) and the application's listener beans are attached
	 * to the application's own engine, and the web server's port is mapped with it.
	 */
	@Test
	void attachesEveryListenerToAUserDefinedEngine() {
		RecordingListener listener = new RecordingListener();
		EventCollector events = new EventCollector();
		this.webContextRunner
			.withBean("myEngine", MappingEngine.class,
					() -> MappingEngine.builder().mode(NatMode.of("extip:198.51.100.7")).listener(listener).build())
			.withBean(RecordingListener.class, () -> listener)
			.withBean(EventCollector.class, () -> events)
			.run((context) -> {
				context.publishEvent(serverStarted(null, 8080));
				await().atMost(Duration.ofSeconds(2)).until(() -> !events.received.isEmpty());
				assertThat(events.received).singleElement().isInstanceOf(MappingCreatedEvent.class);
				assertThat(events.received.get(0).getEngine()).isSameAs(context.getBean("myEngine"));
				// Given to the builder and a bean too: told once.
				assertThat(listener.created).isNotNull();
				assertThat(listener.createdCount).hasValue(1);
			});
	}

	@Test
	void publishesEventsOnAPlatformThreadWithoutVirtualThreads() {
		assertThat(EventThreads.forEnvironment(new MockEnvironment()).newThread(() -> {
		})).satisfies((thread) -> {
			assertThat(thread.getName()).isEqualTo("nat-events");
			assertThat(thread.isDaemon()).isTrue();
		});
	}

	/** Virtual threads need Java 21: on an older JDK the setting leaves natboot's thread as it is, as Boot does. */
	@Test
	void publishesEventsOnAVirtualThreadWhenTheApplicationUsesThem() throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.threads.virtual.enabled", "true");
		Thread thread = EventThreads.forEnvironment(environment).newThread(() -> {
		});
		assertThat(thread.isDaemon()).isTrue();
		if (Runtime.version().feature() >= 21) {
			assertThat(Thread.class.getMethod("isVirtual").invoke(thread)).isEqualTo(true);
			assertThat(thread.getName()).startsWith("nat-events-");
		}
		else {
			assertThat(thread.getName()).isEqualTo("nat-events");
		}
	}

	private static WebServerInitializedEvent serverStarted(String namespace, int port) {
		WebServer server = mock(WebServer.class);
		given(server.getPort()).willReturn(port);
		WebServerApplicationContext context = mock(WebServerApplicationContext.class);
		given(context.getServerNamespace()).willReturn(namespace);
		return new WebServerInitializedEvent(server) {

			@Override
			public WebServerApplicationContext getApplicationContext() {
				return context;
			}

		};
	}

	static class RecordingListener implements MappingListener {

		volatile Mapping created;

		final AtomicInteger createdCount = new AtomicInteger();

		@Override
		public void mappingCreated(Mapping mapping) {
			this.created = mapping;
			this.createdCount.incrementAndGet();
		}

	}

	static class EventCollector implements ApplicationListener<NatEvent> {

		final List<NatEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(NatEvent event) {
			this.received.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizers {

		@Bean
		@Order(2)
		MappingEngineBuilderCustomizer last() {
			return (builder) -> builder.mode(NatMode.of("extip:198.51.100.3"));
		}

		@Bean
		@Order(1)
		MappingEngineBuilderCustomizer first() {
			return (builder) -> builder.mode(NatMode.of("extip:198.51.100.2"));
		}

	}

}
