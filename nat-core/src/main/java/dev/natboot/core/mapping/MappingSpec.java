package dev.natboot.core.mapping;

import java.net.StandardProtocolFamily;
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
 * @param family {@link StandardProtocolFamily#INET} for a port mapping on the IPv4 router;
 * {@link StandardProtocolFamily#INET6} for a firewall pinhole to this host's stable IPv6 address, which needs
 * no translation (the internal and external port are the same)
 */
public record MappingSpec(String name, Transport transport, int internalPort, int externalPort, Duration lease,
		String description, StandardProtocolFamily family) {

	/** Longest lease PCP and NAT-PMP can express. */
	public static final Duration MAX_LEASE = Duration.ofSeconds(0xffffffffL);

	/**
	 * An IPv4 port mapping.
	 * @param name unique name, for example {@code server}
	 * @param transport TCP or UDP
	 * @param internalPort port on this host
	 * @param externalPort external port wanted, 0 for the same as the internal port
	 * @param lease lifetime to ask for
	 * @param description what the mapping is for
	 */
	public MappingSpec(String name, Transport transport, int internalPort, int externalPort, Duration lease,
			String description) {
		this(name, transport, internalPort, externalPort, lease, description, StandardProtocolFamily.INET);
	}

	public MappingSpec {
		if (family == StandardProtocolFamily.UNIX) {
			throw new IllegalArgumentException("Mapping '" + name + "' must be for IPv4 or IPv6, not " + family);
		}
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
		return (this.externalPort != 0 && this.family == StandardProtocolFamily.INET) ? this.externalPort
				: this.internalPort;
	}

	/**
	 * The same mapping as an IPv6 pinhole.
	 * @param pinholeName its name
	 * @return the pinhole's spec, for the same port and transport
	 */
	public MappingSpec ipv6(String pinholeName) {
		return new MappingSpec(pinholeName, this.transport, this.internalPort, 0, this.lease, this.description,
				StandardProtocolFamily.INET6);
	}

}
