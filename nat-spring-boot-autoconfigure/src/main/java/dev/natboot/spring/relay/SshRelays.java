package dev.natboot.spring.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import dev.natboot.relay.ssh.SshKeys;
import dev.natboot.relay.ssh.SshRelay;
import dev.natboot.relay.ssh.SshRelayOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

/**
 * The SSH relay's options from {@code nat.relay.ssh.*}, read and checked at startup: a missing or unreadable key
 * or known hosts fails the start with the property's name, never with the key or passphrase in the message.
 */
public final class SshRelays {

	private static final String PREFIX = "nat.relay.ssh.";

	private static final int MAX_KNOWN_HOSTS = 1 << 20;

	private SshRelays() {
	}

	/**
	 * Reads and checks the options.
	 * @param host {@code nat.relay.ssh.host}
	 * @param port {@code .port}
	 * @param username {@code .username}
	 * @param privateKey {@code .private-key}
	 * @param passphrase {@code .private-key-passphrase}
	 * @param knownHosts {@code .known-hosts}
	 * @param strict {@code .strict-host-key-checking}
	 * @param remoteAddress {@code .remote-address}
	 * @param remotePort {@code .remote-port}
	 * @param keepaliveInterval {@code .keepalive-interval}
	 * @param connectTimeout {@code .connect-timeout}
	 * @param maxRetryInterval {@code nat.max-retry-interval}
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException naming the property at fault
	 */
	public static SshRelayOptions options(String host, int port, @Nullable String username,
			@Nullable Resource privateKey, @Nullable String passphrase, @Nullable Resource knownHosts, boolean strict,
			String remoteAddress, int remotePort, Duration keepaliveInterval, Duration connectTimeout,
			Duration maxRetryInterval) {
		if (port < 1 || port > 65535) {
			throw invalid("port", port, "must be 1-65535");
		}
		if (remotePort < 0 || remotePort > 65535) {
			throw invalid("remote-port", remotePort, "must be 0-65535 (0: the server chooses)");
		}
		if (!StringUtils.hasText(username)) {
			throw invalid("username", "", "is required with nat.relay.ssh.host");
		}
		if (privateKey == null) {
			throw invalid("private-key", "", "is required with nat.relay.ssh.host (a resource location such as file:/etc/myapp/relay_key)");
		}
		if (knownHosts == null && strict) {
			throw invalid("known-hosts", "", "is required: the relay server's host key is verified (ssh-keyscan -p "
					+ port + " " + host + " writes the lines); nat.relay.ssh.strict-host-key-checking=false skips it, "
					+ "and lets anyone on the path impersonate the relay");
		}
		if (keepaliveInterval.isNegative()) {
			throw invalid("keepalive-interval", keepaliveInterval, "must not be negative");
		}
		if (connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw invalid("connect-timeout", connectTimeout, "must be positive");
		}
		List<KeyPair> keys = keys(privateKey, passphrase);
		String knownHostsText = (knownHosts != null && strict) ? knownHosts(knownHosts) : null;
		try {
			return SshRelayOptions.builder(host, username)
				.port(port)
				.keys(keys)
				.knownHosts(knownHostsText)
				.strictHostKeyChecking(strict)
				.remoteAddress(remoteAddress)
				.remotePort(remotePort)
				.keepaliveInterval(keepaliveInterval)
				.connectTimeout(connectTimeout)
				.maxRetryInterval(maxRetryInterval)
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw invalid("host", host, ex.getMessage());
		}
	}

	/**
	 * The relay for the options.
	 * @param options as {@link #options} read them
	 * @return the relay, not connected
	 * @throws InvalidConfigurationPropertyValueException when the known hosts hold no key
	 */
	public static SshRelay relay(SshRelayOptions options) {
		try {
			return new SshRelay(options);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("known-hosts", "", ex.getMessage());
		}
	}

	private static List<KeyPair> keys(Resource privateKey, @Nullable String passphrase) {
		String where = privateKey.getDescription();
		try (InputStream in = privateKey.getInputStream()) {
			return SshKeys.read(where, in, StringUtils.hasLength(passphrase) ? passphrase : null);
		}
		catch (IOException ex) {
			throw invalid("private-key", where, "cannot be opened: " + ex.getClass().getSimpleName());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("private-key", where, ex.getMessage());
		}
	}

	private static String knownHosts(Resource knownHosts) {
		String where = knownHosts.getDescription();
		try (InputStream in = knownHosts.getInputStream()) {
			byte[] content = in.readNBytes(MAX_KNOWN_HOSTS + 1);
			if (content.length > MAX_KNOWN_HOSTS) {
				throw invalid("known-hosts", where, "is over 1 MiB: not a known_hosts file");
			}
			return new String(content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw invalid("known-hosts", where, "cannot be opened: " + ex.getClass().getSimpleName());
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, Object value, @Nullable String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

}
