package dev.natboot.spring.event;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.autoconfigure.NatAutoConfiguration;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.mapping.MappingState;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class NatEventPublisherTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class))
		.withPropertyValues("nat.skip.in-tests=false")
		.withBean(EventCollector.class, EventCollector::new);

	@Test
	void publishesCreatedAndRemovedOnTheContextOffTheEnginesThread() {
		this.contextRunner.withPropertyValues("nat.mode=extip:198.51.100.9").run((context) -> {
			EventCollector events = context.getBean(EventCollector.class);
			context.publishEvent(serverStarted(8080));
			await().atMost(Duration.ofSeconds(2)).until(() -> !events.received.isEmpty());
			MappingCreatedEvent created = (MappingCreatedEvent) events.received.get(0);
			assertThat(created.getMapping().protocol()).isEqualTo(NatProtocol.MANUAL);
			assertThat(created.getMapping().externalPort()).isEqualTo(8080);
			assertThat(events.threads).containsOnly("nat-events");
			((ConfigurableApplicationContext) context).close();
			// Delivered before the context finished closing.
			assertThat(events.received).last().isInstanceOfSatisfying(MappingRemovedEvent.class,
					(removed) -> assertThat(removed.getMapping().state()).isEqualTo(MappingState.REMOVED));
		});
	}

	@Test
	void publishesFailuresWithTheirTypedCause() {
		// A closed port on loopback: the probe meets "port unreachable" at once.
		this.contextRunner.withPropertyValues("nat.mode=pcp:127.0.0.1:9").run((context) -> {
			EventCollector events = context.getBean(EventCollector.class);
			context.publishEvent(serverStarted(8080));
			await().atMost(Duration.ofSeconds(5)).until(() -> events.received.stream().anyMatch(MappingFailedEvent.class::isInstance));
			MappingFailedEvent failed = (MappingFailedEvent) events.received.stream()
				.filter(MappingFailedEvent.class::isInstance)
				.findFirst()
				.orElseThrow();
			assertThat(failed.getCause().kind()).isEqualTo(NatErrorKind.NO_RESPONSE);
			assertThat(failed.getCause().protocol()).isEqualTo(NatProtocol.PCP);
			assertThat(failed.getMapping().state()).isEqualTo(MappingState.RETRYING);
		});
	}

	/**
	 * What the engine reports while the context is still starting (a STUN check that ends before the last bean
	 * exists) waits for the context: {@code @EventListener} methods are registered only then.
	 */
	@Test
	void holdsWhatComesBeforeTheContextStartedAndDeliversItInOrderAfterwards() {
		List<Object> published = new CopyOnWriteArrayList<>();
		MappingEngine engine = MappingEngine.builder()
			.mode(NatMode.NONE)
			.build();
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0,
				Duration.ofMinutes(3), "test"));
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("engine", engine);
		NatEventPublisher publisher = new NatEventPublisher(published::add,
				beans.getBeanProvider(MappingEngine.class), Duration.ofSeconds(1));
		Mapping early = engine.mapping("server").orElseThrow();
		publisher.mappingFailed(early, new NatException(NatErrorKind.NO_RESPONSE, null, "first"));
		publisher.mappingFailed(early, new NatException(NatErrorKind.NO_RESPONSE, null, "second"));
		assertThat(publisher.flush(Duration.ofSeconds(1))).isTrue();
		assertThat(published).isEmpty();
		publisher.start();
		assertThat(publisher.flush(Duration.ofSeconds(1))).isTrue();
		assertThat(published).extracting((event) -> ((MappingFailedEvent) event).getCause().getMessage())
			.containsExactly("first", "second");
	}

	@Test
	void backsOffFromAUserDefinedPublisher() {
		this.contextRunner.withPropertyValues("nat.mode=none")
			.withBean("myPublisher", NatEventPublisher.class,
					() -> new NatEventPublisher((event) -> { }, null, Duration.ofSeconds(1)))
			.run((context) -> assertThat(context).hasSingleBean(NatEventPublisher.class).hasBean("myPublisher"));
	}

	private static WebServerInitializedEvent serverStarted(int port) {
		WebServer server = mock(WebServer.class);
		given(server.getPort()).willReturn(port);
		WebServerApplicationContext context = mock(WebServerApplicationContext.class);
		return new WebServerInitializedEvent(server) {

			@Override
			public WebServerApplicationContext getApplicationContext() {
				return context;
			}

		};
	}

	static class EventCollector implements ApplicationListener<NatMappingEvent> {

		final List<NatMappingEvent> received = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(NatMappingEvent event) {
			this.received.add(event);
			this.threads.add(Thread.currentThread().getName());
		}

	}

}
