package dev.natboot.core.ice;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/** Candidate and pair priorities and foundations, as RFC 8445 sections 5.1.1.3, 5.1.2 and 6.1.2.3 define them. */
public final class IcePriorities {

	private IcePriorities() {
	}

	/**
	 * A candidate's priority: (2^24) type preference + (2^8) local preference + (256 - component).
	 * @param typePreference 0 to 126, the same for every candidate of one type
	 * @param localPreference 0 to 65535, higher for the address (interface, family) this agent prefers
	 * @param component 1 to 256
	 * @return the priority
	 */
	public static long candidatePriority(int typePreference, int localPreference, int component) {
		if (typePreference < 0 || typePreference > 126) {
			throw new IllegalArgumentException("A type preference is 0 to 126: " + typePreference);
		}
		if (localPreference < 0 || localPreference > 65535) {
			throw new IllegalArgumentException("A local preference is 0 to 65535: " + localPreference);
		}
		if (component < 1 || component > 256) {
			throw new IllegalArgumentException("A component is 1 to 256: " + component);
		}
		return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
	}

	/**
	 * The type preference of a TCP candidate: half its type's, so that an agent with UDP and TCP candidates
	 * prefers UDP wherever both connect (RFC 6544 section 4.2 leaves the choice; libnice does the same).
	 * @param type the candidate's type
	 * @return 0 to 63
	 */
	public static int tcpTypePreference(IceCandidateType type) {
		return type.recommendedPreference() / 2;
	}

	/**
	 * The local preference of a TCP candidate (RFC 6544 section 4.2): (2^13) direction-pref + other-pref. Host
	 * and relayed candidates prefer active, then passive, then simultaneous open; reflexive ones, whose NAT
	 * passes a connection only to simultaneous open, prefer it first.
	 * @param type the candidate's type
	 * @param tcpType how it connects
	 * @param otherPreference 0 to 8191, higher for the address this agent prefers
	 * @return 0 to 65535
	 */
	public static int tcpLocalPreference(IceCandidateType type, IceTcpType tcpType, int otherPreference) {
		if (otherPreference < 0 || otherPreference > 8191) {
			throw new IllegalArgumentException("An other-pref is 0 to 8191: " + otherPreference);
		}
		boolean direct = type == IceCandidateType.HOST || type == IceCandidateType.RELAYED;
		int direction = switch (tcpType) {
			case ACTIVE -> direct ? 6 : 4;
			case PASSIVE -> direct ? 4 : 2;
			case SIMULTANEOUS_OPEN -> direct ? 2 : 6;
		};
		return (direction << 13) + otherPreference;
	}

	/**
	 * A pair's priority: 2^32 MIN(G,D) + 2 MAX(G,D) + (G > D ? 1 : 0), G the controlling agent's candidate's.
	 * @param controlling the priority of the controlling agent's candidate of the pair
	 * @param controlled the priority of the controlled agent's candidate
	 * @return the pair's priority, to be compared as an unsigned 64-bit number
	 */
	public static long pairPriority(long controlling, long controlled) {
		long min = Math.min(controlling, controlled);
		long max = Math.max(controlling, controlled);
		return (min << 32) + (max << 1) + ((controlling > controlled) ? 1 : 0);
	}

	/**
	 * A foundation: the same for candidates of one type, base address, server and transport, so that their
	 * checks are unfrozen together, and different otherwise (RFC 8445 section 5.1.1.3).
	 * @param type the candidate's type
	 * @param transport its transport
	 * @param base the address of its base (the host's own address it was learnt from)
	 * @param server the STUN or TURN server it was learnt from, the router for a port-mapped one; {@code null}
	 *     for a host candidate
	 * @return up to ten digits
	 */
	public static String foundation(IceCandidateType type, Transport transport, InetAddress base,
			@Nullable InetAddress server) {
		CRC32 crc = new CRC32();
		String key = type.sdpName() + "|" + transport + "|" + IpLiteral.format(base) + "|"
				+ ((server != null) ? IpLiteral.format(server) : "");
		crc.update(key.getBytes(StandardCharsets.US_ASCII));
		return Long.toString(crc.getValue());
	}

}
