package dev.natboot.spring.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import dev.natboot.relay.RelayManager;
import dev.natboot.spring.NatMappingLifecycle;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Hands the web server's port to the relay manager once the server listens, stops it with the context (the
 * relay released before the mappings and the server) and closes the relay for good when the context closes,
 * bounded by {@code nat.shutdown-timeout}. Inert when natboot is (skipped in tests, disabled after AOT): then no
 * connection is made anywhere.
 */
public class NatRelayLifecycle implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent>, DisposableBean {

	private static final String MANAGEMENT_NAMESPACE = "management";

	private final RelayManager manager;

	private final @Nullable InetAddress serverAddress;

	private final Duration shutdownTimeout;

	private final boolean inert;

	private volatile @Nullable InetSocketAddress target;

	private volatile boolean running;

	/**
	 * A lifecycle.
	 * @param manager the relay manager
	 * @param serverAddress {@code server.address}, {@code null} when the server listens on every address
	 * @param shutdownTimeout the longest wait at close for the relay server to hear the forward cancelled
	 * @param inert whether natboot stays inert in this run
	 */
	public NatRelayLifecycle(RelayManager manager, @Nullable InetAddress serverAddress, Duration shutdownTimeout,
			boolean inert) {
		this.manager = manager;
		this.serverAddress = serverAddress;
		this.shutdownTimeout = shutdownTimeout;
		this.inert = inert;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (this.inert || MANAGEMENT_NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
			return;
		}
		int port = event.getWebServer().getPort();
		if (port <= 0) {
			return;
		}
		// The relay connects to the server as a local client: the loopback unless the server is bound elsewhere.
		InetAddress address = this.serverAddress;
		InetSocketAddress target = new InetSocketAddress(
				(address == null || address.isAnyLocalAddress()) ? InetAddress.getLoopbackAddress() : address, port);
		this.target = target;
		if (this.running) {
			this.manager.start(target);
		}
	}

	@Override
	public void start() {
		this.running = true;
		InetSocketAddress target = this.target;
		if (target != null) {
			this.manager.start(target);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.manager.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Before the mappings are released and long before the web server stops. */
	@Override
	public int getPhase() {
		return NatMappingLifecycle.PHASE + 1;
	}

	@Override
	public void destroy() {
		this.manager.close(this.shutdownTimeout);
	}

	/** The web server port, once known, for the log line. */
	public int serverPort() {
		InetSocketAddress target = this.target;
		return (target != null) ? target.getPort() : 0;
	}

}
