package dev.natboot.lab.userapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's ordinary test of a web application that has the starter: a real server on a random port. natboot
 * must stay away from the router of whatever machine runs it. (Runs only when a lab test starts it inside the
 * lab's LAN namespace: never against this machine's own network.)
 */
@EnabledIfSystemProperty(named = "natboot.userapp", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=user-app", "nat.mappings.game.internal-port=27015",
				"nat.mappings.game.protocol=udp" })
class UserApplicationTests {

	@LocalServerPort
	int port;

	@Test
	void answers() throws Exception {
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(answer.body()).isEqualTo("hello from the user's app");
	}

}
