package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/**
 * One ICE candidate, as RFC 8839 section 5.1 carries it in an {@code a=candidate} line.
 * @param foundation 1 to 32 ice-chars: candidates with the same one are alike enough to be checked together
 * @param component 1 to 256: 1 for the one data stream natboot's agent carries
 * @param transport UDP, or TCP (RFC 6544)
 * @param priority 1 to 2^31-1 (RFC 8445 section 5.1.2)
 * @param address an IP literal, or a name this agent never resolves (an mDNS {@code .local} name, for one)
 * @param port 0 to 65535 (a TCP active candidate's is 9)
 * @param type host, srflx, prflx or relay
 * @param related the base of a reflexive candidate, the mapped address of a relayed one; {@code null} for a
 *     host candidate or when the peer keeps it to itself
 * @param tcpType how a TCP candidate connects; {@code null} for UDP
 * @param extensions the line's other attributes, name to value, in their order (such as {@code generation})
 */
public record IceCandidate(String foundation, int component, Transport transport, long priority, String address,
		int port, IceCandidateType type, @Nullable InetSocketAddress related, @Nullable IceTcpType tcpType,
		Map<String, String> extensions) {

	/** The highest priority RFC 8445 allows: 2^31-1. */
	public static final long MAX_PRIORITY = 0x7fffffffL;

	public IceCandidate {
		if (foundation == null || !IceChars.isIceChars(foundation, 1, 32)) {
			throw new IllegalArgumentException("A foundation is 1 to 32 ice-chars: " + foundation);
		}
		if (component < 1 || component > 256) {
			throw new IllegalArgumentException("A component is 1 to 256: " + component);
		}
		Objects.requireNonNull(transport, "transport");
		if (priority < 1 || priority > 0xffffffffL) {
			throw new IllegalArgumentException("A priority is 1 to 2^32-1: " + priority);
		}
		if (address == null || !IceCandidateCodec.isConnectionAddress(address)) {
			throw new IllegalArgumentException("A candidate's address is an IP literal or a name of at most "
					+ IceChars.MAX_ADDRESS_LENGTH + " characters");
		}
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("A port is 0 to 65535: " + port);
		}
		Objects.requireNonNull(type, "type");
		if ((transport == Transport.TCP) != (tcpType != null)) {
			throw new IllegalArgumentException("A TCP candidate, and only one, has a tcptype");
		}
		extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
		if (extensions.size() > IceCandidateCodec.MAX_EXTENSIONS) {
			throw new IllegalArgumentException("At most " + IceCandidateCodec.MAX_EXTENSIONS + " extensions");
		}
		extensions.forEach((name, value) -> {
			// what is written must read back as the same candidate
			if (!IceCandidateCodec.isExtension(name, value)) {
				throw new IllegalArgumentException("An extension is a token other than raddr, rport and tcptype, "
						+ "and a value of visible characters: " + IceCandidateCodec.excerpt(name));
			}
		});
	}

	/**
	 * A candidate of this host's own.
	 * @param foundation its foundation ({@link IcePriorities#foundation})
	 * @param priority its priority ({@link IcePriorities#candidatePriority})
	 * @param transport UDP or TCP
	 * @param address where it is
	 * @param type its type
	 * @param related its base or mapped address, if any
	 * @param tcpType how it connects, for TCP
	 * @return the candidate, component 1, without extensions
	 */
	public static IceCandidate of(String foundation, long priority, Transport transport, InetSocketAddress address,
			IceCandidateType type, @Nullable InetSocketAddress related, @Nullable IceTcpType tcpType) {
		return new IceCandidate(foundation, 1, transport, priority, IpLiteral.format(address.getAddress()),
				address.getPort(), type, related, tcpType, Map.of());
	}

	/**
	 * The candidate's address and port, if its address is an IP literal. Never resolves a name.
	 * @return the socket address, empty for a name
	 */
	public Optional<InetSocketAddress> socketAddress() {
		InetAddress ip = IpLiteral.parse(this.address);
		return (ip != null) ? Optional.of(new InetSocketAddress(ip, this.port)) : Optional.empty();
	}

	/**
	 * The candidate as the value of an {@code a=candidate} attribute (RFC 8839 section 5.1), without the
	 * {@code a=}: what trickle ICE and WebRTC's {@code RTCIceCandidate.candidate} carry.
	 * @return {@code candidate:...}
	 */
	public String toSdp() {
		return IceCandidateCodec.format(this);
	}

	/**
	 * Reads a candidate line.
	 * @param line {@code a=candidate:...}, {@code candidate:...}, or the fields alone as aioice writes them
	 * @return the candidate
	 * @throws dev.natboot.core.MalformedMessageException if it is not a candidate line this agent can use
	 */
	public static IceCandidate parse(String line) throws dev.natboot.core.MalformedMessageException {
		return IceCandidateCodec.parse(line);
	}

	@Override
	public String toString() {
		return toSdp();
	}

}
