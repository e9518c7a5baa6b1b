package dev.natboot.spring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingOperation;
import dev.natboot.core.mapping.MappingState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Real Tomcat, Jetty and Reactor Netty servers on loopback: the web server's port is mapped the moment its
 * connector listens, ahead of {@link WebServerInitializedEvent} (Reactor Netty: at about the same moment), and
 * never before the port accepts connections.
 * The mode {@code extip} maps on no router: nothing leaves loopback.
 */
class ServerListeningMappingTests {

	private static final String[] PROPERTIES = { "server.port=0", "server.address=127.0.0.1",
			"nat.skip.in-tests=false", "nat.mode=extip:203.0.113.9", "spring.main.banner-mode=off" };

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty", "netty" })
	void mapsThePortOnceTheConnectorListensAndBeforeTheServerStartedEvent(String server) throws Exception {
		try (ConfigurableApplicationContext context = start(server)) {
			WebServer webServer = ((WebServerApplicationContext) context).getWebServer();
			assertThat(webServer).isInstanceOf(switch (server) {
				case "tomcat" -> TomcatWebServer.class;
				case "jetty" -> JettyWebServer.class;
				default -> NettyWebServer.class;
			});
			int port = webServer.getPort();
			EventProbe probe = context.getBean(EventProbe.class);
			if (!server.equals("netty")) {
				assertThat(probe.mappedBeforeTheEvent).as("mapped before WebServerInitializedEvent").containsExactly(port);
			}
			// Reactor Netty tells its doOnBound observers on its event loop as it completes the bind, while the
			// thread in bindNow() resumes: which of that and the event comes first is a race of microseconds (a
			// loaded CI machine saw the event first), and the event's own request maps the port then.
			BoundCheck bound = context.getBean(BoundCheck.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> !bound.results.isEmpty());
			assertThat(bound.results).as("the port accepted a connection when it was mapped").containsExactly(true);
			MappingEngine engine = context.getBean(MappingEngine.class);
			assertThat(engine.mappings()).singleElement().satisfies((mapping) -> {
				assertThat(mapping.name()).isEqualTo(WebServerPortMapper.MAPPING_NAME);
				assertThat(mapping.spec().internalPort()).isEqualTo(port);
				assertThat(mapping.state()).isEqualTo(MappingState.ACTIVE);
			});
		}
	}

	@Test
	void aStoppedAndRestartedServerIsMappedAgainWhenItListensAgain() throws Exception {
		try (ConfigurableApplicationContext context = start("tomcat")) {
			MappingEngine engine = context.getBean(MappingEngine.class);
			context.stop();
			assertThat(engine.mapping(WebServerPortMapper.MAPPING_NAME)).get()
				.extracting(Mapping::state)
				.isEqualTo(MappingState.REMOVED);
			context.start();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> engine.mapping(WebServerPortMapper.MAPPING_NAME).map(Mapping::isActive).orElse(false));
			assertThat(context.getBean(BoundCheck.class).results).containsOnly(true).hasSize(2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty", "netty" })
	void aPortHeldByAnotherProcessIsNeverMapped(String server) throws Exception {
		// Another program holds the port: the server cannot bind it, and natboot must not map that program's port.
		try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			RequestRecorder.requests.clear();
			assertThatException().isThrownBy(() -> new SpringApplicationBuilder(ListeningApplication.class,
					RequestRecorder.class)
				.web(server.equals("netty") ? WebApplicationType.REACTIVE : WebApplicationType.SERVLET)
				.properties(PROPERTIES)
				.properties("server.port=" + other.getLocalPort())
				.properties(server.equals("jetty") ? TestServers.JETTY_ONLY : TestServers.TOMCAT_OR_NETTY)
				.run()
				.close());
			Thread.sleep(200); // a watcher that saw a port would have told by now
			assertThat(RequestRecorder.requests).isEmpty();
		}
	}

	/** The request a check from outside sends gets an HTTP answer from every server natboot maps. */
	@ParameterizedTest
	@ValueSource(strings = { "tomcat", "jetty", "netty" })
	void everyServerAnswersTheRequestOfACheckFromOutside(String server) throws Exception {
		try (ConfigurableApplicationContext context = start(server)) {
			int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer()
				.getPort();
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				socket.setSoTimeout(5000);
				socket.getOutputStream().write(dev.natboot.core.reachability.TurnReachabilityProbe.httpRequest("127.0.0.1:" + port));
				String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
						java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
				assertThat(status).as(server).startsWith("HTTP/1.1 ");
			}
		}
	}

	private static ConfigurableApplicationContext start(String server) {
		return new SpringApplicationBuilder(ListeningApplication.class)
			.web(server.equals("netty") ? WebApplicationType.REACTIVE : WebApplicationType.SERVLET)
			.properties(PROPERTIES)
			.properties(server.equals("jetty") ? TestServers.JETTY_ONLY : TestServers.TOMCAT_OR_NETTY)
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ListeningApplication {

		@Bean
		EventProbe eventProbe(ObjectProvider<MappingEngine> engine) {
			return new EventProbe(engine);
		}

		@Bean
		BoundCheck boundCheck() {
			return new BoundCheck();
		}

	}

	/** Looks, ahead of every other listener of the event, for the mapping the connector's start asked for. */
	static class EventProbe implements ApplicationListener<WebServerInitializedEvent>, Ordered {

		final List<Integer> mappedBeforeTheEvent = new CopyOnWriteArrayList<>();

		private final ObjectProvider<MappingEngine> engine;

		EventProbe(ObjectProvider<MappingEngine> engine) {
			this.engine = engine;
		}

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			this.engine.getObject()
				.mapping(WebServerPortMapper.MAPPING_NAME)
				.ifPresent((mapping) -> this.mappedBeforeTheEvent.add(mapping.spec().internalPort()));
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/** Every mapping request the engine sends, kept past the failed context. */
	static class RequestRecorder {

		static final List<String> requests = new CopyOnWriteArrayList<>();

		@Bean
		MappingListener requestRecorder() {
			return new MappingListener() {

				@Override
				public void operationStarted(MappingOperation.Started started) {
					requests.add(started.toString());
				}

			};
		}

	}

	/** Connects to the mapped port the moment the mapping exists. */
	static class BoundCheck implements MappingListener {

		final List<Boolean> results = new CopyOnWriteArrayList<>();

		@Override
		public void mappingCreated(Mapping mapping) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", mapping.spec().internalPort()), 1000);
				this.results.add(true);
			}
			catch (IOException ex) {
				this.results.add(false);
			}
		}

	}

}
