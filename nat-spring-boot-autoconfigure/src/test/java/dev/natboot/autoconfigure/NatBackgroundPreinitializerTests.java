package dev.natboot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatBackgroundPreinitializerTests {

	@Test
	void isRegisteredWithSpringBootsBackgroundPreinitialization() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(BackgroundPreinitializer.class))
			.hasAtLeastOneElementOfType(NatBackgroundPreinitializer.class);
	}

	@Test
	void preparesTheOptionalModulesItNames() {
		// Every optional module is on the test classpath: a renamed class would silently never be prepared.
		for (String name : NatBackgroundPreinitializer.OPTIONAL_CLASSES) {
			assertThat(name).satisfies((className) -> Class.forName(className));
		}
	}

	@Test
	void leavesNoThreadBehind() {
		new NatBackgroundPreinitializer().preinitialize();
		await().atMost(Duration.ofSeconds(2))
			.until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch((t) -> t.getName().equals("nat-preinit")));
	}

}
