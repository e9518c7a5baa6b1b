package dev.natboot.spring;

/**
 * Which embedded server a test's application gets: Tomcat, Jetty and Reactor Netty are all on the test class
 * path, and without a choice Spring Boot would pick Jetty for both stacks.
 */
public final class TestServers {

	private static final String JETTY = "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration,"
			+ "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration";

	private static final String TOMCAT = "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration";

	private static final String NETTY = "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration";

	/** Tomcat for servlet applications, Reactor Netty for reactive ones: what their starters bring. */
	public static final String TOMCAT_OR_NETTY = "spring.autoconfigure.exclude=" + JETTY;

	/** Jetty for both. */
	public static final String JETTY_ONLY = "spring.autoconfigure.exclude=" + TOMCAT + "," + NETTY;

	private TestServers() {
	}

}
