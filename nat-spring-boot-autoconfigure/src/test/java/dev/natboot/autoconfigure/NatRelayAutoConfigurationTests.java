package dev.natboot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import dev.natboot.relay.Relay;
import dev.natboot.relay.RelayManager;
import dev.natboot.relay.RelayMode;
import dev.natboot.relay.RelayStatus;
import dev.natboot.relay.ssh.SshRelay;
import dev.natboot.spring.endpoint.NatEndpoint;
import dev.natboot.spring.health.NatHealthIndicator;
import dev.natboot.spring.relay.NatRelayLifecycle;
import dev.natboot.spring.relay.NatRelayMetrics;
import dev.natboot.spring.relay.NatRelayReport;
import dev.natboot.spring.shield.RelayedConnections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class NatRelayAutoConfigurationTests {

	@TempDir
	static Path directory;

	private static Path key;

	private static Path knownHosts;

	private static String keyText;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatAutoConfiguration.class, NatRelayAutoConfiguration.class,
				NatEndpointAutoConfiguration.class, NatHealthContributorAutoConfiguration.class))
		.withPropertyValues("nat.mode=extip:198.51.100.9", "management.endpoints.web.exposure.include=nat");

	@BeforeAll
	static void keys() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		KeyPair user = generator.generateKeyPair();
		KeyPair host = generator.generateKeyPair();
		java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
		// As ssh-keygen writes it (OpenSSH format, not encrypted).
		org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(user,
				"test", null, written);
		keyText = written.toString(java.nio.charset.StandardCharsets.US_ASCII);
		key = Files.writeString(directory.resolve("id_ecdsa"), keyText);
		knownHosts = Files.writeString(directory.resolve("known_hosts"),
				"relay.example " + PublicKeyEntry.toString(host.getPublic()) + "\n");
	}

	private ApplicationContextRunner configured() {
		return this.contextRunner.withPropertyValues("nat.relay.ssh.host=relay.example", "nat.relay.ssh.username=me",
				"nat.relay.ssh.private-key=file:" + key, "nat.relay.ssh.known-hosts=file:" + knownHosts);
	}

	@Test
	void configuresTheRelayWhenAServerIsSetAndStaysInertInTests() {
		configured().run((context) -> {
			assertThat(context).hasSingleBean(SshRelay.class).hasSingleBean(RelayManager.class)
				.hasSingleBean(NatRelayLifecycle.class).hasSingleBean(RelayedConnections.class)
				.hasSingleBean(NatRelayReport.class);
			RelayManager manager = context.getBean(RelayManager.class);
			assertThat(manager.mode()).isEqualTo(RelayMode.FALLBACK);
			// Skipped in tests: nothing connects.
			assertThat(manager.relay().state().status()).isEqualTo(RelayStatus.STANDBY);
			assertThat(manager.relay().state().server()).isEqualTo("ssh://me@relay.example:22");
		});
	}

	@Test
	void theEndpointAndHealthShowTheRelayWithoutASecret() {
		configured().withPropertyValues("nat.relay.ssh.private-key-passphrase=hunter2").run((context) -> {
			NatEndpoint.NatDescriptor nat = context.getBean(NatEndpoint.class).nat();
			assertThat(nat.relay()).isNotNull();
			assertThat(nat.relay().status()).isEqualTo("STANDBY");
			assertThat(nat.relay().mode()).isEqualTo("fallback");
			assertThat(nat.relay().toString()).doesNotContain("hunter2", "PRIVATE", key.toString());
			Health health = context.getBean(NatHealthIndicator.class).health();
			assertThat(health.getDetails()).containsKey("relay");
			assertThat(health.getDetails().get("relay").toString()).contains("STANDBY", "ssh://me@relay.example:22")
				.doesNotContain("hunter2");
		});
	}

	@Test
	void aConnectedRelayMakesHealthUp() {
		Health down = Health.status(new Status("UNKNOWN")).withDetail("mode", "any").build();
		dev.natboot.spring.endpoint.RelayDescriptor connected = new dev.natboot.spring.endpoint.RelayDescriptor(
				"fallback", "CONNECTED", "ssh://me@relay.example:22", "relay.example:40000", "no mapping",
				java.time.Instant.now(), 80L, 0, null, 0, 0, 0, 0,
				NatEndpoint.ReachabilityDescriptor.of(dev.natboot.core.reachability.Reachability.unverified("x")));
		assertThat(NatHealthIndicator.withRelay(down, connected).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void backsOffWithoutTheRelayModule() {
		configured().withClassLoader(new FilteredClassLoader(SshRelay.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RelayManager.class)
				.doesNotHaveBean(RelayedConnections.class));
	}

	@Test
	void backsOffWithoutAServer() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(Relay.class).doesNotHaveBean(RelayManager.class);
			assertThat(context.getBean(NatEndpoint.class).nat().relay()).isNull();
		});
	}

	@Test
	void backsOffInModeNever() {
		configured().withPropertyValues("nat.relay.mode=never")
			.run((context) -> assertThat(context).doesNotHaveBean(Relay.class));
	}

	@Test
	void modeAlwaysIsBound() {
		configured().withPropertyValues("nat.relay.mode=ALWAYS")
			.run((context) -> assertThat(context.getBean(RelayManager.class).mode()).isEqualTo(RelayMode.ALWAYS));
	}

	@Test
	void withoutKnownHostsTheStartFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("nat.relay.ssh.host=relay.example", "nat.relay.ssh.username=me",
				"nat.relay.ssh.private-key=file:" + key)
			.run((context) -> assertThat(context).hasFailed().getFailure()
				.rootCause().hasMessageContaining("nat.relay.ssh.known-hosts").hasMessageContaining("ssh-keyscan"));
	}

	@Test
	void withoutStrictHostKeyCheckingNoKnownHostsAreNeeded() {
		this.contextRunner.withPropertyValues("nat.relay.ssh.host=relay.example", "nat.relay.ssh.username=me",
				"nat.relay.ssh.private-key=file:" + key, "nat.relay.ssh.strict-host-key-checking=false")
			.run((context) -> assertThat(context).hasSingleBean(SshRelay.class));
	}

	@Test
	void anUnreadableKeyFailsTheStartNamingThePropertyNotTheKey() throws IOException {
		Path garbage = Files.writeString(directory.resolve("not-a-key"), "secret-material-not-a-key\n");
		configured().withPropertyValues("nat.relay.ssh.private-key=file:" + garbage)
			.run((context) -> assertThat(context).hasFailed().getFailure()
				.rootCause().hasMessageContaining("nat.relay.ssh.private-key")
				.hasMessageNotContaining("secret-material"));
	}

	@Test
	void aMissingKeyFileFailsTheStartNamingTheProperty() {
		configured().withPropertyValues("nat.relay.ssh.private-key=file:" + directory.resolve("missing"))
			.run((context) -> assertThat(context).hasFailed().getFailure()
				.rootCause().hasMessageContaining("nat.relay.ssh.private-key").hasMessageContaining("cannot be opened"));
	}

	@Test
	void withoutAUsernameTheStartFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("nat.relay.ssh.host=relay.example", "nat.relay.ssh.private-key=file:" + key,
				"nat.relay.ssh.known-hosts=file:" + knownHosts)
			.run((context) -> assertThat(context).hasFailed().getFailure()
				.rootCause().hasMessageContaining("nat.relay.ssh.username"));
	}

	@Test
	void aBadRemotePortFailsTheStartNamingTheProperty() {
		configured().withPropertyValues("nat.relay.ssh.remote-port=70000")
			.run((context) -> assertThat(context).hasFailed().getFailure()
				.rootCause().hasMessageContaining("nat.relay.ssh.remote-port"));
	}

	@Test
	void backsOffFromTheApplicationsOwnRelay() {
		configured().withBean("myRelay", Relay.class, () -> new SshRelay(dev.natboot.relay.ssh.SshRelayOptions
			.builder("other.example", "me").strictHostKeyChecking(false)
			.keys(dev.natboot.relay.ssh.SshKeys.read("test", new java.io.ByteArrayInputStream(keyText.getBytes()), null))
			.build()))
			.run((context) -> {
				assertThat(context).hasSingleBean(Relay.class).hasBean("myRelay").doesNotHaveBean(SshRelay.class.getName());
				assertThat(context.getBean(RelayManager.class).relay().state().server()).contains("other.example");
			});
	}

	@Test
	void metersTheRelay() {
		configured().withConfiguration(AutoConfigurations.of(NatMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(NatRelayMetrics.class);
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				context.getBean(NatRelayMetrics.class).bindTo(registry);
				assertThat(registry.get("nat.relay.state").tag("state", "standby").gauge().value()).isEqualTo(1);
				assertThat(registry.get("nat.relay.bytes").tag("direction", "in").functionCounter().count()).isZero();
				assertThat(registry.get("nat.relay.reconnects").functionCounter().count()).isZero();
			});
	}

}
