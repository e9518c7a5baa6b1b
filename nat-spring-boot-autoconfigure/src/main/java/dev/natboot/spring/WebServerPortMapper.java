package dev.natboot.spring;

import java.time.Duration;

import dev.natboot.core.Transport;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Maps the embedded web server's port as soon as the server has started, taking the real port from the
 * event (so {@code server.port=0} works). The engine maps on its own thread: startup never waits for the
 * router. The management server, when it runs on a port of its own, is not mapped.
 */
public class WebServerPortMapper implements ApplicationListener<WebServerInitializedEvent> {

	/** Name of the web server's mapping in the engine. */
	public static final String MAPPING_NAME = "server";

	private static final String MANAGEMENT_NAMESPACE = "management";

	private static final Log logger = LogFactory.getLog(WebServerPortMapper.class);

	private final MappingEngine engine;

	private final int externalPort;

	private final Duration lease;

	private final String description;

	public WebServerPortMapper(MappingEngine engine, int externalPort, Duration lease, String description) {
		this.engine = engine;
		this.externalPort = externalPort;
		this.lease = lease;
		this.description = description;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (MANAGEMENT_NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
			return;
		}
		int port = event.getWebServer().getPort();
		if (port <= 0) {
			logger.debug("Web server has no port to map (" + port + ")");
			return;
		}
		this.engine.add(new MappingSpec(MAPPING_NAME, Transport.TCP, port, this.externalPort, this.lease,
				this.description));
	}

}
