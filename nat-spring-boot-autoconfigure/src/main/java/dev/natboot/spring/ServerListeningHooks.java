package dev.natboot.spring;

import java.util.function.IntConsumer;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.util.ClassUtils;

/**
 * Tells when an embedded web server's primary connector has started listening, and on which port, for Tomcat,
 * Jetty and Reactor Netty: the moment a mapping can reach the application. Spring Boot's
 * {@code WebServerInitializedEvent} comes tens of milliseconds later, after the server's start has finished and
 * been logged. Each server's classes are touched only when that server is on the class path.
 */
final class ServerListeningHooks {

	private static final ClassLoader classLoader = ServerListeningHooks.class.getClassLoader();

	private static final boolean tomcatPresent = ClassUtils
		.isPresent("org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory", classLoader);

	private static final boolean jettyPresent = ClassUtils
		.isPresent("org.springframework.boot.jetty.ConfigurableJettyWebServerFactory", classLoader);

	private static final boolean nettyPresent = ClassUtils
		.isPresent("org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory", classLoader);

	private ServerListeningHooks() {
	}

	/**
	 * Arranges for the factory's server to report its primary connector's port once it listens.
	 * @param factory the factory of the server about to be created
	 * @param listening called with the port, on the thread that started the server, each time it starts
	 * @return whether the factory is of a server this knows; if not, nothing reports the port
	 */
	static boolean attach(WebServerFactory factory, IntConsumer listening) {
		if (tomcatPresent && Tomcat.attach(factory, listening)) {
			return true;
		}
		if (jettyPresent && Jetty.attach(factory, listening)) {
			return true;
		}
		return nettyPresent && Netty.attach(factory, listening);
	}

	private static final class Tomcat {

		static boolean attach(WebServerFactory factory, IntConsumer listening) {
			if (!(factory instanceof ConfigurableTomcatWebServerFactory tomcat)) {
				return false;
			}
			// Boot applies connector customizers to the primary connector only, and binds it when it starts it
			// (bindOnInit false). Tomcat tells nothing between binding and AFTER_START, when it has also created
			// its worker threads: 25-40 ms later on a busy two-core machine, while the kernel already accepts
			// connections (and Tomcat serves them once its acceptor runs). So from START on a watcher looks for
			// the bound socket; AFTER_START reports too, in case the watcher has not seen it yet (the same port
			// is mapped once).
			tomcat.addConnectorCustomizers((connector) -> connector.addLifecycleListener(new LifecycleListener() {

				private @Nullable BindWatcher watcher;

				@Override
				public void lifecycleEvent(LifecycleEvent event) {
					if (Lifecycle.START_EVENT.equals(event.getType())) {
						this.watcher = BindWatcher.start(connector::getLocalPort, listening);
					}
					else if (Lifecycle.AFTER_START_EVENT.equals(event.getType())
							|| Lifecycle.STOP_EVENT.equals(event.getType())) {
						BindWatcher current = this.watcher;
						this.watcher = null;
						if (current != null) {
							current.stop();
						}
						if (Lifecycle.AFTER_START_EVENT.equals(event.getType()) && connector.getLocalPort() > 0) {
							listening.accept(connector.getLocalPort());
						}
					}
				}

			}));
			return true;
		}

	}

	private static final class Jetty {

		static boolean attach(WebServerFactory factory, IntConsumer listening) {
			if (!(factory instanceof ConfigurableJettyWebServerFactory jetty)) {
				return false;
			}
			jetty.addServerCustomizers((server) -> {
				Connector[] connectors = server.getConnectors();
				// The first network connector is the one Boot reports as the server's port.
				for (Connector connector : connectors) {
					if (connector instanceof NetworkConnector network) {
						network.addEventListener(new LifeCycle.Listener() {

							@Override
							public void lifeCycleStarted(LifeCycle event) {
								listening.accept(network.getLocalPort());
							}

						});
						return;
					}
				}
			});
			return true;
		}

	}

	private static final class Netty {

		static boolean attach(WebServerFactory factory, IntConsumer listening) {
			if (!(factory instanceof NettyReactiveWebServerFactory netty)) {
				return false;
			}
			netty.addServerCustomizers((server) -> server.doOnBound((bound) -> listening.accept(bound.port())));
			return true;
		}

	}

}
