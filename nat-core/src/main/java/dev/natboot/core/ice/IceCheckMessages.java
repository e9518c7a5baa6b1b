package dev.natboot.core.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;

/**
 * The STUN messages of ICE's checks (RFC 8445 sections 7.1 and 7.3): a check with its USERNAME, PRIORITY, role
 * and tie-breaker, and USE-CANDIDATE when it nominates; the answers, success with XOR-MAPPED-ADDRESS or 487 Role
 * Conflict. Every one is signed with the short-term credentials and ends with a FINGERPRINT.
 */
final class IceCheckMessages {

	/** RFC 8445 sections 7.2.5.2.1 and 7.3.1.1. */
	static final int ROLE_CONFLICT = 487;

	private IceCheckMessages() {
	}

	/**
	 * The PRIORITY of a check from a local candidate: a peer-reflexive candidate's, with the candidate's local
	 * preference (RFC 8445 section 7.1.1).
	 */
	static long peerReflexivePriority(IceCandidate local) {
		int localPreference = (int) ((local.priority() >> 8) & 0xffff);
		int typePreference = (local.transport() == dev.natboot.core.Transport.TCP)
				? IcePriorities.tcpTypePreference(IceCandidateType.PEER_REFLEXIVE)
				: IceCandidateType.PEER_REFLEXIVE.recommendedPreference();
		return IcePriorities.candidatePriority(typePreference, localPreference, 1);
	}

	static StunMessage check(StunCredentials outgoing, long priority, IceRole role, long tieBreaker,
			boolean useCandidate) {
		List<StunAttribute> attributes = new ArrayList<>(5);
		attributes.add(new StunAttribute.Username(outgoing.username()));
		attributes.add(new StunAttribute.Priority(priority));
		attributes.add((role == IceRole.CONTROLLING) ? new StunAttribute.IceControlling(tieBreaker)
				: new StunAttribute.IceControlled(tieBreaker));
		if (useCandidate) {
			attributes.add(new StunAttribute.UseCandidate());
		}
		return new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING, StunMessage.newTransactionId(), attributes,
				true);
	}

	/** The answer to a valid check: success with where it came from, or 487 when the peer must change its role. */
	static byte[] answer(StunMessage request, InetSocketAddress source, StunCredentials credentials,
			boolean roleConflict) {
		StunMessage response = roleConflict
				? new StunMessage(StunMessageClass.ERROR_RESPONSE, StunMethod.BINDING, request.transactionId(),
						List.of(new StunAttribute.ErrorCode(ROLE_CONFLICT, "Role Conflict")), true)
				: new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING, request.transactionId(),
						List.of(new StunAttribute.XorMappedAddress(source)), true);
		return StunCodec.encode(response, credentials);
	}

	/**
	 * Runs the code of a check and its answer once, in memory, while the application carries the descriptions
	 * between the peers: in a fresh JVM the first HMAC, the first signed encoding and the first decoding of an
	 * answer take tens of milliseconds of class loading and interpretation, which would otherwise delay the
	 * first checks, the ones that decide how soon the peers connect.
	 */
	static void warmUp(IceCredentials local, long tieBreaker) {
		StunCredentials credentials = StunCredentials.shortTerm(local.ufrag() + ":" + local.ufrag(), local.pwd());
		StunMessage request = check(credentials, 1, IceRole.CONTROLLING, tieBreaker, true);
		byte[] answer = answer(request, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), credentials, false);
		try {
			for (byte[] octets : List.of(StunCodec.encode(request, credentials), answer)) {
				StunCodec.decode(octets).mappedAddress();
				StunCodec.checkIntegrity(octets, credentials);
			}
		}
		catch (MalformedMessageException ex) {
			throw new IllegalStateException("A check this agent encodes must decode", ex);
		}
	}

}
