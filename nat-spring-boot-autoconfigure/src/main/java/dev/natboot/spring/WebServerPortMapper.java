package dev.natboot.spring;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.mapping.MappingState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Maps the embedded web server's port the moment the server listens on it: Tomcat's, Jetty's and Reactor
 * Netty's primary connector report their bound port as soon as it accepts connections, so a mapping never
 * points at a port this application does not hold yet (and {@code server.port=0} works). Another server's port
 * is taken from {@link WebServerInitializedEvent}, which comes once the server's start is over. The engine maps on
 * its own thread: startup never waits for the router. The management server, when it runs on a port of its own,
 * is mapped only when asked.
 * <p>
 * As a customizer of the web server's factory, it starts the engine's discovery when the context creates its
 * web server: from then on there is something to map, and the rest of the context's start leaves the router
 * time to answer before the server listens. A test's mock web environment creates no server, and so sends
 * nothing.
 */
public class WebServerPortMapper
		implements ApplicationListener<WebServerInitializedEvent>, WebServerFactoryCustomizer<WebServerFactory> {

	/** Name of the web server's mapping in the engine. */
	public static final String MAPPING_NAME = "server";

	/** Name of the web server's IPv6 pinhole in the engine, when it has one. */
	public static final String IPV6_MAPPING_NAME = "server-ipv6";

	/** Name of the management server's mapping, when it is mapped. */
	public static final String MANAGEMENT_MAPPING_NAME = "management";

	private static final String MANAGEMENT_NAMESPACE = "management";

	private static final Log logger = LogFactory.getLog(WebServerPortMapper.class);

	private final MappingEngine engine;

	/** Whether to map the server's port: always, unless an ahead-of-time processed application says otherwise. */
	private final boolean serverEnabled;

	private final int externalPort;

	private final Duration lease;

	private final String description;

	private final @Nullable Integer managementExternalPort;

	/** Whether to open an IPv6 pinhole for the web server's port too, where this host and the mode allow. */
	private final boolean ipv6;

	/** The port a container host publishes for the server, which the router forwards to; 0 for the server's. */
	private volatile int publishedPort;

	/** Whether a server's connector was asked to report its port: only the first factory's, the main server's. */
	private final AtomicBoolean hooked = new AtomicBoolean();

	/**
	 * Creates a mapper.
	 * @param engine the engine
	 * @param externalPort external port for the web server, 0 for its own
	 * @param lease lease to ask for
	 * @param description description of the mappings
	 * @param managementExternalPort external port for the management server when it is to be mapped (0 for
	 * its own), {@code null} to leave it unmapped
	 */
	public WebServerPortMapper(MappingEngine engine, int externalPort, Duration lease, String description,
			@Nullable Integer managementExternalPort) {
		this(engine, true, externalPort, lease, description, managementExternalPort);
	}

	/**
	 * Creates a mapper that may leave the web server's port alone.
	 * @param engine the engine
	 * @param serverEnabled whether to map the web server's port ({@code nat.server.enabled}, which in an
	 * application processed ahead of time is read at run time here, its condition having been fixed at build time)
	 * @param externalPort external port for the web server, 0 for its own
	 * @param lease lease to ask for
	 * @param description description of the mappings
	 * @param managementExternalPort external port for the management server when it is to be mapped (0 for
	 * its own), {@code null} to leave it unmapped
	 */
	public WebServerPortMapper(MappingEngine engine, boolean serverEnabled, int externalPort, Duration lease,
			String description, @Nullable Integer managementExternalPort) {
		this(engine, serverEnabled, externalPort, lease, description, managementExternalPort, true);
	}

	/**
	 * Creates a mapper that may leave the web server's port alone, and may open an IPv6 pinhole for it.
	 * @param engine the engine
	 * @param serverEnabled whether to map the web server's port
	 * @param externalPort external port for the web server, 0 for its own
	 * @param lease lease to ask for
	 * @param description description of the mappings
	 * @param managementExternalPort external port for the management server when it is to be mapped (0 for
	 * its own), {@code null} to leave it unmapped
	 * @param ipv6 whether to open an IPv6 firewall pinhole for the web server's port as well, when the engine can
	 * ({@link MappingEngine#opensIpv6Pinholes()})
	 */
	public WebServerPortMapper(MappingEngine engine, boolean serverEnabled, int externalPort, Duration lease,
			String description, @Nullable Integer managementExternalPort, boolean ipv6) {
		this.ipv6 = ipv6;
		this.engine = engine;
		this.serverEnabled = serverEnabled;
		this.externalPort = externalPort;
		this.lease = lease;
		this.description = description;
		this.managementExternalPort = managementExternalPort;
	}

	/**
	 * Maps the port a container's host publishes for the web server instead of the server's own: behind a
	 * container bridge, the router reaches the host, which forwards the published port to the server.
	 * @param publishedPort the host's port, 0 for the server's own
	 */
	public void setPublishedPort(int publishedPort) {
		this.publishedPort = publishedPort;
	}

	/**
	 * Starts discovery, and asks the server about to be created to report when its connector listens. Changes
	 * nothing else in the factory.
	 */
	@Override
	public void customize(WebServerFactory factory) {
		if (!this.serverEnabled) {
			return;
		}
		this.engine.discover();
		if (this.ipv6) {
			this.engine.discoverIpv6();
		}
		if (this.hooked.compareAndSet(false, true) && !ServerListeningHooks.attach(factory, this::serverListening)) {
			logger.debug("No connector hook for " + factory.getClass().getName() + ": mapping once the server has started");
		}
	}

	/** The main server's connector listens: on the thread starting the server or a bind watcher; this only hands over. */
	void serverListening(int port) {
		if (port > 0) {
			mapServer(port);
		}
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (!this.serverEnabled) {
			return;
		}
		boolean management = MANAGEMENT_NAMESPACE.equals(event.getApplicationContext().getServerNamespace());
		Integer managementPort = this.managementExternalPort;
		if (management && managementPort == null) {
			return;
		}
		int port = event.getWebServer().getPort();
		if (port <= 0) {
			logger.debug("Web server has no port to map (" + port + ")");
			return;
		}
		if (!management) {
			// Mapped already when the connector started listening, unless the server has no hook.
			mapServer(port);
			return;
		}
		if (this.engine.isMapping()) {
			logger.warn("The management server's port " + port + " is mapped (nat.management.enabled=true): its "
					+ "endpoints are reachable by everyone who reaches the mapping, the internet included");
		}
		add(new MappingSpec(MANAGEMENT_MAPPING_NAME, Transport.TCP, port, managementPort, this.lease,
				this.description + " (management)"));
	}

	private void mapServer(int serverPort) {
		int port = (this.publishedPort > 0) ? this.publishedPort : serverPort;
		if (isMapped(MAPPING_NAME, port)) {
			return; // told twice (Tomcat's bind watcher, then its connector's start), or by the event after that
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Web server listens on port " + serverPort + ": mapping " + port);
		}
		MappingSpec server = new MappingSpec(MAPPING_NAME, Transport.TCP, port, this.externalPort, this.lease,
				this.description);
		// IPv4 first: nothing may hold up its request. The pinhole follows within microseconds (whether it can be
		// opened was read during discovery), long before the router answers, so the startup line pairs both.
		add(server);
		if (this.ipv6 && !isMapped(IPV6_MAPPING_NAME, port) && this.engine.opensIpv6Pinholes()) {
			add(server.ipv6(IPV6_MAPPING_NAME));
		}
	}

	private boolean isMapped(String name, int port) {
		Optional<Mapping> current = this.engine.mapping(name);
		return current.isPresent() && current.get().spec().internalPort() == port
				&& current.get().state() != MappingState.REMOVED && current.get().state() != MappingState.ABANDONED;
	}

	private void add(MappingSpec spec) {
		try {
			this.engine.add(spec);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// Mapped already (a race of the connector's report and the event), or the engine is closing.
			logger.debug("Not mapping " + spec.name() + " again: " + ex.getMessage());
		}
	}

}
