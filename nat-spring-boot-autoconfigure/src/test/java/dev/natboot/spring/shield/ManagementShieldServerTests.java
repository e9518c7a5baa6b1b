package dev.natboot.spring.shield;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.natboot.spring.TestServers;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's situation on real servers: the actuator shares the web server port that natboot maps. A
 * client from outside the local networks gets a 404 for every endpoint, however it spells the path and whatever
 * forwarded headers it sends; the LAN gets its actuator; the application itself is untouched.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagementShieldServerTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "SERVLET", "REACTIVE", "JETTY" })
	void theInternetGetsNothingOfTheActuatorAndTheLanGetsAll(String stack, CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start(stack)) {
			int port = port(context);
			for (String path : List.of("/actuator", "/actuator/health", "/actuator/nat", "/actuator/info",
					"/actuator/health/", "//actuator/health", "/actuator/./health", "/x/../actuator/health",
					"/%61ctuator/health", "/actuator/%68ealth", "/actuator;p=1/health")) {
				int status = RawHttp.get(RawHttp.INTERNET, port, path);
				if (stack.equals("JETTY") && path.startsWith("//")) {
					// Jetty refuses an ambiguous path itself, before any filter.
					assertThat(status).as(path).isIn(400, 404);
				}
				else {
					assertThat(status).as(path).isEqualTo(404);
				}
			}
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health")).isEqualTo(200);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/nat")).isEqualTo(200);
			// The application itself is the mapping's business: not shielded (no page here, so its own 404).
			assertThat(RawHttp.get(RawHttp.INTERNET, port, "/actuatorless")).isEqualTo(404);
		}
		assertThat(output).contains("Actuator endpoints health, info, nat under /actuator share the web server port",
				"shielded, they answer only the local networks");
	}

	/** A LAN reverse proxy that forwards a request from the internet: still a request from the internet. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "SERVLET", "REACTIVE" })
	void aProxyForwardingForTheInternetIsRefused(String stack) throws Exception {
		try (ConfigurableApplicationContext context = start(stack)) {
			int port = port(context);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health", "X-Forwarded-For: 203.0.113.50")).isEqualTo(404);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health", "Forwarded: for=\"[2001:db8::5]:4711\""))
				.isEqualTo(404);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health", "X-Real-IP: 198.51.100.7")).isEqualTo(404);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health", "X-Forwarded-For: 127.0.0.2")).isEqualTo(200);
		}
	}

	/**
	 * The application trusts forwarded headers (behind a proxy, as it thinks): a client on the internet that claims
	 * to be on the LAN is still refused, because the shield reads the connection's own peer.
	 */
	@ParameterizedTest(name = "{0} with forward-headers-strategy {1}")
	@org.junit.jupiter.params.provider.CsvSource({ "SERVLET, framework", "SERVLET, native", "REACTIVE, framework",
			"REACTIVE, native" })
	void aClientClaimingToBeLocalInAForwardedHeaderIsStillRefused(String stack, String strategy) throws Exception {
		try (ConfigurableApplicationContext context = start(stack, "server.forward-headers-strategy=" + strategy)) {
			int port = port(context);
			assertThat(RawHttp.get(RawHttp.INTERNET, port, "/actuator/health", "X-Forwarded-For: 127.0.0.2")).isEqualTo(404);
			assertThat(RawHttp.get(RawHttp.INTERNET, port, "/actuator/health", "Forwarded: for=127.0.0.2")).isEqualTo(404);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "SERVLET", "REACTIVE" })
	void exposedOnRequestWithAWarning(String stack, CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start(stack, "nat.server.expose-management=true")) {
			assertThat(RawHttp.get(RawHttp.INTERNET, port(context), "/actuator/health")).isEqualTo(200);
		}
		assertThat(output).contains("they are served to everyone who reaches the mapping, the internet included");
	}

	/**
	 * Jetty applies forwarded headers to the request's peer when the application trusts them, and then the true
	 * peer is gone: the shield refuses every actuator request that carries one, even from the LAN.
	 */
	@Test
	void onJettyARequestNamingAClientInAForwardedHeaderIsRefused() throws Exception {
		try (ConfigurableApplicationContext context = start("JETTY", "server.forward-headers-strategy=native")) {
			int port = port(context);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health")).isEqualTo(200);
			assertThat(RawHttp.get(RawHttp.LAN, port, "/actuator/health", "X-Forwarded-For: 127.0.0.2")).isEqualTo(404);
			assertThat(RawHttp.get(RawHttp.INTERNET, port, "/actuator/health", "X-Forwarded-For: 127.0.0.2"))
				.isEqualTo(404);
		}
	}

	/**
	 * Connections a relay opens come from this host: local by their address, from the internet in truth. Also in
	 * mode none, where nothing is mapped but a relay can be up.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "SERVLET", "REACTIVE", "JETTY" })
	void aConnectionThroughARelayIsFromTheInternet(String stack) throws Exception {
		for (String mode : List.of("nat.mode=any", "nat.mode=none")) {
			try (ConfigurableApplicationContext context = start(stack, (peer) -> RawHttp.LAN.equals(peer.getAddress()
				.getHostAddress()), mode)) {
				assertThat(RawHttp.get(RawHttp.LAN, port(context), "/actuator/health")).as(mode).isEqualTo(404);
				assertThat(RawHttp.get(RawHttp.LAN, port(context), "/actuator/nat")).as(mode).isEqualTo(404);
			}
		}
	}

	@Test
	void withNatbootMappingNothingThereIsNothingToShield() throws Exception {
		try (ConfigurableApplicationContext context = start("SERVLET", "nat.mode=none")) {
			assertThat(RawHttp.get(RawHttp.INTERNET, port(context), "/actuator/health")).isEqualTo(200);
		}
	}

	private static ConfigurableApplicationContext start(String stack, String... extra) {
		return start(stack, null, extra);
	}

	private static ConfigurableApplicationContext start(String stack, RelayedConnections relayed, String... extra) {
		List<String> properties = new ArrayList<>(ShieldTestApplication.PROPERTIES);
		properties.addAll(List.of(extra));
		properties.add(stack.equals("JETTY") ? TestServers.JETTY_ONLY : TestServers.TOMCAT_OR_NETTY);
		return new SpringApplicationBuilder(ShieldTestApplication.class)
			.web(stack.equals("JETTY") ? WebApplicationType.SERVLET : WebApplicationType.valueOf(stack))
			.properties(properties.toArray(String[]::new))
			.initializers((context) -> {
				if (relayed != null) {
					((org.springframework.context.support.GenericApplicationContext) context)
						.registerBean(RelayedConnections.class, () -> relayed);
				}
			})
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
