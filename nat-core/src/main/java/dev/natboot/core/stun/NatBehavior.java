package dev.natboot.core.stun;

import java.net.InetSocketAddress;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a STUN server with two addresses showed of the NAT between it and this host (RFC 5780).
 *
 * @param server the server asked
 * @param localAddress the local address and port of the first test's socket
 * @param mappedAddress that socket's public address and port, as the server saw it
 * @param otherAddress the server's other address, {@code null} when it gave no valid one
 * @param mapping the mapping behaviour
 * @param filtering the filtering behaviour
 * @param hairpinning whether the NAT hairpins
 * @param notes why a behaviour is unknown, or what looked odd, in plain words
 */
public record NatBehavior(InetSocketAddress server, InetSocketAddress localAddress, InetSocketAddress mappedAddress,
		@Nullable InetSocketAddress otherAddress, MappingBehavior mapping, FilteringBehavior filtering,
		Hairpinning hairpinning, List<String> notes) {

	public NatBehavior {
		notes = List.copyOf(notes);
	}

	/**
	 * The classic name.
	 * @return for example {@link NatType#PORT_RESTRICTED_CONE}
	 */
	public NatType natType() {
		return NatType.of(this.mapping, this.filtering);
	}

}
