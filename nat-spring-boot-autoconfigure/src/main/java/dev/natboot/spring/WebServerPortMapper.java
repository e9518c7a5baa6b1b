package dev.natboot.spring;

import java.time.Duration;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Maps the embedded web server's port as soon as the server has started, taking the real port from the
 * event (so {@code server.port=0} works). The engine maps on its own thread: startup never waits for the
 * router. The management server, when it runs on a port of its own, is mapped only when asked.
 * <p>
 * As a lifecycle, it starts the engine's discovery just before the web server starts: from then on there is
 * something to map, and the router is known by the time the server's port is.
 */
public class WebServerPortMapper implements ApplicationListener<WebServerInitializedEvent>, SmartLifecycle {

	/**
	 * Just below {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE} (default phase - 2048), so this
	 * starts right before the web server; not referenced directly because web server classes are optional.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2049;

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

	private volatile boolean running;

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

	@Override
	public void start() {
		this.engine.discover();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
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
		this.engine.add(management
				? new MappingSpec(MANAGEMENT_MAPPING_NAME, Transport.TCP, port, managementPort, this.lease,
						this.description + " (management)")
				: new MappingSpec(MAPPING_NAME, Transport.TCP, port, this.externalPort, this.lease, this.description));
	}

}
