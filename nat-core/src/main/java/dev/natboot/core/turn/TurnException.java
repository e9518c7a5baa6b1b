package dev.natboot.core.turn;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;

/**
 * A TURN server's error answer (RFC 8656 section 19, RFC 6062 section 6.3), with its code: 401 wrong
 * credentials, 403 forbidden (a peer the server will not relay to), 437 allocation mismatch, 440 address family
 * not supported, 441 wrong credentials for this allocation, 442 unsupported transport, 446 connection already
 * exists, 447 connection timeout or failure (the peer did not accept a TCP connection), 486 allocation quota
 * reached, 508 insufficient capacity. Messages never hold credentials.
 */
public class TurnException extends NatException {

	private static final long serialVersionUID = 1L;

	/** Forbidden: the server refuses this peer or request. */
	public static final int FORBIDDEN = 403;

	/** The request does not fit this 5-tuple's allocation (none, or another one). */
	public static final int ALLOCATION_MISMATCH = 437;

	/** The server relays no address of the family asked for (REQUESTED-ADDRESS-FAMILY). */
	public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;

	/** RFC 8656: the peer's address family is not the relayed address's. */
	public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;

	/** The credentials differ from those the allocation was made with. */
	public static final int WRONG_CREDENTIALS = 441;

	/** The server does not relay the transport asked for. */
	public static final int UNSUPPORTED_TRANSPORT = 442;

	/** RFC 6062: a connection to this peer exists already. */
	public static final int CONNECTION_ALREADY_EXISTS = 446;

	/** RFC 6062: the server could not connect to the peer, or the peer did not connect in time. */
	public static final int CONNECTION_TIMEOUT_OR_FAILURE = 447;

	/** This user has as many allocations as the server allows. */
	public static final int ALLOCATION_QUOTA_REACHED = 486;

	/** The server has no capacity left. */
	public static final int INSUFFICIENT_CAPACITY = 508;

	public TurnException(int code, String message) {
		super(kindOf(code), NatProtocol.TURN, code, message);
	}

	/**
	 * The TURN error code.
	 * @return 300 to 699
	 */
	public int code() {
		return routerCode();
	}

	static NatErrorKind kindOf(int code) {
		return switch (code) {
			case 401, 403, 441 -> NatErrorKind.NOT_AUTHORIZED;
			case 440, 442 -> NatErrorKind.UNSUPPORTED_OPERATION;
			case 486, 508 -> NatErrorKind.NO_RESOURCES;
			case 447 -> NatErrorKind.NETWORK_FAILURE;
			default -> NatErrorKind.PROTOCOL_ERROR;
		};
	}

}
