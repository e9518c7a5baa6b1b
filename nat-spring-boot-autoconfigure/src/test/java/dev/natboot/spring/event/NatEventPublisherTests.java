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
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
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

	/** One supertype for every natboot event: a single listener hears them all. */
	@Test
	void everyEventIsANatEvent() {
		assertThat(List.of(MappingCreatedEvent.class, MappingRenewedEvent.class, MappingChangedEvent.class,
				MappingLostEvent.class, MappingFailedEvent.class, MappingRemovedEvent.class,
				ExternalAddressChangedEvent.class, StunObservationChangedEvent.class, BehindAnotherNatEvent.class))
			.allMatch(NatEvent.class::isAssignableFrom);
	}

	/** A listener that fails at every event is logged once per event type with its class, not at each event. */
	@Test
	void aFailingListenerIsLoggedOncePerEventType(CapturedOutput output) {
		List<Object> published = new CopyOnWriteArrayList<>();
		MappingEngine engine = MappingEngine.builder().mode(NatMode.NONE).build();
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "test"));
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("engine", engine);
		BrokenListener broken = new BrokenListener();
		NatEventPublisher publisher = new NatEventPublisher((event) -> {
			published.add(event);
			broken.onApplicationEvent((NatEvent) event);
		}, beans.getBeanProvider(MappingEngine.class), Duration.ofSeconds(1));
		publisher.start();
		Mapping mapping = engine.mapping("server").orElseThrow();
		for (int i = 0; i < 5; i++) {
			publisher.mappingRenewed(mapping);
			publisher.mappingFailed(mapping, new NatException(NatErrorKind.NO_RESPONSE, null, "silent"));
		}
		assertThat(publisher.flush(Duration.ofSeconds(2))).isTrue();
		assertThat(published).hasSize(10);
		String log = output.getAll();
		assertThat(log.split("A NAT event listener \\(" + BrokenListener.class.getName().replace("$", "\\$")
				+ "\\) failed on MappingRenewedEvent", -1)).hasSize(2);
		assertThat(log.split("failed on MappingFailedEvent", -1)).hasSize(2);
		assertThat(log.split("IllegalStateException: broken", -1)).hasSize(3);
	}

	@Test
	void blamesTheListenerNotTheLibraryItCalled() {
		IllegalStateException failure = new IllegalStateException("deep");
		failure.setStackTrace(new StackTraceElement[] {
				new StackTraceElement("com.example.lib.Parser", "parse", "Parser.java", 10),
				new StackTraceElement("com.example.app.OnNat$$SpringCGLIB$$0", "onCreated", "OnNat.java", 20),
				new StackTraceElement("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke", null, 1),
				new StackTraceElement("org.springframework.context.event.ApplicationListenerMethodAdapter", "doInvoke",
						null, 1),
				new StackTraceElement("org.springframework.context.event.SimpleApplicationEventMulticaster",
						"doInvokeListener", null, 1),
				new StackTraceElement("dev.natboot.spring.event.NatEventPublisher", "lambda$submit$0", null, 1) });
		assertThat(NatEventPublisher.failingListener(failure)).isEqualTo("com.example.app.OnNat");
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

	static class BrokenListener implements ApplicationListener<NatEvent> {

		@Override
		public void onApplicationEvent(NatEvent event) {
			throw new IllegalStateException("broken");
		}

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
