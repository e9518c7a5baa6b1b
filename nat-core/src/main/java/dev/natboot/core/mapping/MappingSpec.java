package dev.natboot.core.mapping;

import java.time.Duration;

import dev.natboot.core.Transport;

/**
 * A mapping the application wants: which local port, over which transport, and how it would like it
 * exposed.
 *
 * @param name unique name, for example {@code server}
 * @param transport TCP or UDP
 * @param internalPort port on this host, 1 to 65535 (never 0: only a real, configured port is mapped)
 * @param externalPort external port wanted, 0 for the same as the internal port; the router may grant another
 * @param lease lifetime to ask for; the router's answer decides
 * @param description what the mapping is for, shown by routers whose protocol carries it
 */
public record MappingSpec(String name, Transport transport, int internalPort, int externalPort, Duration lease,
		String description) {

	/** Longest lease PCP and NAT-PMP can express. */
	public static final Duration MAX_LEASE = Duration.ofSeconds(0xffffffffL);

	public MappingSpec {
		if (name.isBlank()) {
			throw new IllegalArgumentException("Mapping name must not be blank");
		}
		if (internalPort < 1 || internalPort > 65535) {
			throw new IllegalArgumentException(
					"Internal port of mapping '" + name + "' must be between 1 and 65535: " + internalPort);
		}
		if (externalPort < 0 || externalPort > 65535) {
			throw new IllegalArgumentException("External port of mapping '" + name
					+ "' must be between 1 and 65535, or 0 for the internal port: " + externalPort);
		}
		if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(MAX_LEASE) > 0) {
			throw new IllegalArgumentException("Lease of mapping '" + name + "' must be at least 1s: " + lease);
		}
	}

	/**
	 * The external port to ask for.
	 * @return the configured external port, or the internal port when none is configured
	 */
	public int wantedExternalPort() {
		return (this.externalPort != 0) ? this.externalPort : this.internalPort;
	}

}
