package dev.natboot.spring;

import java.time.Duration;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Maps the embedded web server's port as soon as the server has started, taking the real port from the
 * event (so {@code server.port=0} works). The engine maps on its own thread: startup never waits for the
 * router. The management server, when it runs on a port of its own, is mapped only when asked.
 * <p>
 * As a customizer of the web server's factory, it starts the engine's discovery when the context creates its
 * web server: from then on there is something to map, and the rest of the context's start (1.6 s in the sample
 * app) leaves the router time to answer before the server's port is known. A test's mock web environment
 * creates no server, and so sends nothing.
 */
public class WebServerPortMapper
		implements ApplicationListener<WebServerInitializedEvent>, WebServerFactoryCustomizer<WebServerFactory> {

	/** Name of the web server's mapping in the engine. */
	public static final String MAPPING_NAME = "server";

	/** Name of the management server's mapping, when it is mapped. */
	public static final String MANAGEMENT_MAPPING_NAME = "management";

	private static final String MANAGEMENT_NAMESPACE = "management";

	private static final Log logger = LogFactory.getLog(WebServerPortMapper.class);

	private final MappingEngine engine;

	private final int externalPort;

	private final Duration lease;

	private final String description;

	private final @Nullable Integer managementExternalPort;

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
		this.engine = engine;
		this.externalPort = externalPort;
		this.lease = lease;
		this.description = description;
		this.managementExternalPort = managementExternalPort;
	}

	/** Changes nothing in the factory: the server about to be created is what tells discovery to start. */
	@Override
	public void customize(WebServerFactory factory) {
		this.engine.discover();
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
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
		if (management && this.engine.isMapping()) {
			logger.warn("The management server's port " + port + " is mapped (nat.management.enabled=true): its "
					+ "endpoints are reachable by everyone who reaches the mapping, the internet included");
		}
		this.engine.add(management
				? new MappingSpec(MANAGEMENT_MAPPING_NAME, Transport.TCP, port, managementPort, this.lease,
						this.description + " (management)")
				: new MappingSpec(MAPPING_NAME, Transport.TCP, port, this.externalPort, this.lease, this.description));
	}

}
