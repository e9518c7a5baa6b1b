package dev.natboot.lab.userapp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's test in the default mock web environment, with an extra port configured as users do in
 * application.yml: before, it was mapped on the router although no server even listens in a mock environment.
 */
@EnabledIfSystemProperty(named = "natboot.userapp", matches = "true")
@SpringBootTest(properties = { "spring.application.name=user-app", "nat.mappings.game.internal-port=27015",
		"nat.mappings.game.protocol=udp" })
class UserApplicationMockTests {

	@Autowired
	ApplicationContext context;

	@Test
	void contextLoads() {
		assertThat(this.context.getBean(UserApplication.class)).isNotNull();
	}

}
