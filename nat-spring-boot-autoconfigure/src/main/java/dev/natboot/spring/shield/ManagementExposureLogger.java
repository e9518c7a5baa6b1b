package dev.natboot.spring.shield;

import java.util.List;
import java.util.function.Supplier;

import dev.natboot.core.mapping.MappingEngine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Says once, when the web server has started, which actuator endpoints share the port natboot maps and whether
 * the internet can reach them.
 */
public class ManagementExposureLogger implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(ManagementExposureLogger.class);

	private final MappingEngine engine;

	private final Supplier<List<String>> endpointIds;

	private final Supplier<String> basePath;

	private final boolean exposed;

	/**
	 * Creates the logger.
	 * @param engine the engine that maps the server port
	 * @param endpointIds the exposed web endpoints, read when the server has started
	 * @param basePath where they are, read when the server has started
	 * @param exposed whether {@code nat.server.expose-management} is set
	 */
	public ManagementExposureLogger(MappingEngine engine, Supplier<List<String>> endpointIds,
			Supplier<String> basePath, boolean exposed) {
		this.engine = engine;
		this.endpointIds = endpointIds;
		this.basePath = basePath;
		this.exposed = exposed;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if ("management".equals(event.getApplicationContext().getServerNamespace()) || !this.engine.isMapping()) {
			return;
		}
		List<String> ids = this.endpointIds.get().stream().sorted().toList();
		if (ids.isEmpty()) {
			return;
		}
		String base = this.basePath.get();
		String which = "Actuator endpoints " + String.join(", ", ids) + " under " + (base.isEmpty() ? "/" : base)
				+ " share the web server port " + event.getWebServer().getPort() + " that natboot maps";
		if (this.exposed) {
			logger.warn(which + ": they are served to everyone who reaches the mapping, the internet included "
					+ "(nat.server.expose-management=true)");
		}
		else if (logger.isInfoEnabled()) {
			logger.info(which + ": shielded, they answer only the local networks and give everyone else a 404 "
					+ "(nat.server.expose-management=true serves them to everyone)");
		}
	}

}
