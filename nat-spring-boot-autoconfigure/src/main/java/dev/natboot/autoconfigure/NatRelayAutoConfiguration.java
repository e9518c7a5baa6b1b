package dev.natboot.autoconfigure;

import java.net.InetAddress;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.relay.Relay;
import dev.natboot.relay.RelayManager;
import dev.natboot.relay.ssh.SshRelay;
import dev.natboot.spring.WebServerPortMapper;
import dev.natboot.spring.relay.NatRelayEventPublisher;
import dev.natboot.spring.relay.NatRelayLifecycle;
import dev.natboot.spring.relay.NatRelayLogger;
import dev.natboot.spring.relay.NatRelayReport;
import dev.natboot.spring.relay.SshRelays;
import dev.natboot.spring.shield.RelayedConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the relay fallback through an SSH server ({@code nat.relay.*}), when {@code nat-relay-ssh}
 * is on the class path and {@code nat.relay.ssh.host} is set. The relay connects only once the web server
 * listens, on a thread of its own, and only when the mode wants it.
 */
@AutoConfiguration(after = NatAutoConfiguration.class)
@ConditionalOnClass(SshRelay.class)
@ConditionalOnBean(MappingEngine.class)
@Conditional(OnRelayCondition.class)
@EnableConfigurationProperties({ NatProperties.class, NatRelayProperties.class })
public final class NatRelayAutoConfiguration {

	private static final Log logger = LogFactory.getLog(NatRelayAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(Relay.class)
	SshRelay natRelay(NatRelayProperties relay, NatProperties properties) {
		NatRelayProperties.Ssh ssh = relay.getSsh();
		if (!ssh.isStrictHostKeyChecking()) {
			logger.warn("nat.relay.ssh.strict-host-key-checking=false: the relay accepts any host key at " + ssh.getHost()
					+ ", so anyone on the path can impersonate the relay server and receive the application's traffic");
		}
		return SshRelays.relay(SshRelays.options(String.valueOf(ssh.getHost()).trim(), ssh.getPort(), ssh.getUsername(),
				ssh.getPrivateKey(), ssh.getPrivateKeyPassphrase(), ssh.getKnownHosts(), ssh.isStrictHostKeyChecking(),
				ssh.getRemoteAddress(), ssh.getRemotePort(), ssh.getKeepaliveInterval(), ssh.getConnectTimeout(),
				properties.getMaxRetryInterval()));
	}

	@Bean
	@ConditionalOnMissingBean
	RelayManager natRelayManager(Relay natRelay, NatRelayProperties relay, MappingEngine natMappingEngine,
			ObjectProvider<ReachabilityMonitor> reachability, NatProperties properties) {
		ReachabilityMonitor monitor = reachability.getIfAvailable();
		return new RelayManager(natRelay, relay.getMode(), natMappingEngine, WebServerPortMapper.MAPPING_NAME, monitor,
				(monitor != null) ? NatEngineConfigurer.turnProbe(properties) : null);
	}

	/** For the management shield: connections through the relay come from this host, and count as from the internet. */
	@Bean
	RelayedConnections natRelayedConnections(Relay natRelay) {
		return natRelay::isRelayed;
	}

	@Bean
	NatRelayReport natRelayReport(RelayManager natRelayManager) {
		return new NatRelayReport(natRelayManager);
	}

	@Bean
	NatRelayLifecycle natRelayLifecycle(RelayManager natRelayManager, NatProperties properties, Environment environment,
			ApplicationEventPublisher eventPublisher) {
		NatRelayLifecycle lifecycle = new NatRelayLifecycle(natRelayManager,
				environment.getProperty("server.address", InetAddress.class), properties.getShutdownTimeout(),
				NatEngineConfigurer.inert(properties));
		NatRelayLogger relayLogger = new NatRelayLogger(lifecycle::serverPort);
		natRelayManager.relay().addListener(relayLogger);
		natRelayManager.addVerificationListener(relayLogger);
		natRelayManager.relay().addListener(new NatRelayEventPublisher(eventPublisher));
		return lifecycle;
	}

}
