package dev.natboot.core.stun;

import java.util.Map;

/**
 * Attribute types of the IANA STUN registry that this library knows, with their names. A comprehension-required
 * type (below 0x8000) not listed here makes a response unusable (RFC 8489 section 7.3).
 */
public final class StunAttributeType {

	public static final int MAPPED_ADDRESS = 0x0001;

	/** RFC 5780. */
	public static final int CHANGE_REQUEST = 0x0003;

	/** RFC 3489 only. */
	public static final int SOURCE_ADDRESS = 0x0004;

	/** RFC 3489 only: OTHER-ADDRESS under its old name. */
	public static final int CHANGED_ADDRESS = 0x0005;

	public static final int USERNAME = 0x0006;

	public static final int MESSAGE_INTEGRITY = 0x0008;

	public static final int ERROR_CODE = 0x0009;

	public static final int UNKNOWN_ATTRIBUTES = 0x000a;

	/** RFC 8656 (TURN). */
	public static final int CHANNEL_NUMBER = 0x000c;

	/** RFC 8656 (TURN). */
	public static final int LIFETIME = 0x000d;

	/** RFC 8656 (TURN). */
	public static final int XOR_PEER_ADDRESS = 0x0012;

	/** RFC 8656 (TURN). */
	public static final int DATA = 0x0013;

	public static final int REALM = 0x0014;

	public static final int NONCE = 0x0015;

	/** RFC 8656 (TURN). */
	public static final int XOR_RELAYED_ADDRESS = 0x0016;

	/** RFC 8656 (TURN). */
	public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;

	/** RFC 8656 (TURN). */
	public static final int EVEN_PORT = 0x0018;

	/** RFC 8656 (TURN). */
	public static final int REQUESTED_TRANSPORT = 0x0019;

	/** RFC 8656 (TURN). */
	public static final int DONT_FRAGMENT = 0x001a;

	public static final int MESSAGE_INTEGRITY_SHA256 = 0x001c;

	public static final int PASSWORD_ALGORITHM = 0x001d;

	public static final int USERHASH = 0x001e;

	public static final int XOR_MAPPED_ADDRESS = 0x0020;

	/** RFC 8656 (TURN). */
	public static final int RESERVATION_TOKEN = 0x0022;

	/** RFC 5780. */
	public static final int PADDING = 0x0026;

	/** RFC 5780. */
	public static final int RESPONSE_PORT = 0x0027;

	/** RFC 6062 (TURN over TCP). */
	public static final int CONNECTION_ID = 0x002a;

	/** RFC 8445 (ICE). */
	public static final int PRIORITY = 0x0024;

	/** RFC 8445 (ICE). */
	public static final int USE_CANDIDATE = 0x0025;

	/** RFC 8445 (ICE). */
	public static final int ICE_CONTROLLED = 0x8029;

	/** RFC 8445 (ICE). */
	public static final int ICE_CONTROLLING = 0x802a;

	public static final int PASSWORD_ALGORITHMS = 0x8002;

	public static final int ALTERNATE_DOMAIN = 0x8003;

	public static final int SOFTWARE = 0x8022;

	public static final int ALTERNATE_SERVER = 0x8023;

	public static final int FINGERPRINT = 0x8028;

	/** RFC 5780. */
	public static final int RESPONSE_ORIGIN = 0x802b;

	/** RFC 5780. */
	public static final int OTHER_ADDRESS = 0x802c;

	private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(MAPPED_ADDRESS, "MAPPED-ADDRESS"),
			Map.entry(CHANGE_REQUEST, "CHANGE-REQUEST"), Map.entry(SOURCE_ADDRESS, "SOURCE-ADDRESS"),
			Map.entry(CHANGED_ADDRESS, "CHANGED-ADDRESS"), Map.entry(USERNAME, "USERNAME"),
			Map.entry(MESSAGE_INTEGRITY, "MESSAGE-INTEGRITY"), Map.entry(ERROR_CODE, "ERROR-CODE"),
			Map.entry(UNKNOWN_ATTRIBUTES, "UNKNOWN-ATTRIBUTES"), Map.entry(CHANNEL_NUMBER, "CHANNEL-NUMBER"),
			Map.entry(LIFETIME, "LIFETIME"), Map.entry(XOR_PEER_ADDRESS, "XOR-PEER-ADDRESS"), Map.entry(DATA, "DATA"),
			Map.entry(REALM, "REALM"), Map.entry(NONCE, "NONCE"), Map.entry(XOR_RELAYED_ADDRESS, "XOR-RELAYED-ADDRESS"),
			Map.entry(REQUESTED_ADDRESS_FAMILY, "REQUESTED-ADDRESS-FAMILY"), Map.entry(EVEN_PORT, "EVEN-PORT"),
			Map.entry(REQUESTED_TRANSPORT, "REQUESTED-TRANSPORT"), Map.entry(DONT_FRAGMENT, "DONT-FRAGMENT"),
			Map.entry(MESSAGE_INTEGRITY_SHA256, "MESSAGE-INTEGRITY-SHA256"),
			Map.entry(PASSWORD_ALGORITHM, "PASSWORD-ALGORITHM"), Map.entry(USERHASH, "USERHASH"),
			Map.entry(XOR_MAPPED_ADDRESS, "XOR-MAPPED-ADDRESS"), Map.entry(RESERVATION_TOKEN, "RESERVATION-TOKEN"),
			Map.entry(PADDING, "PADDING"), Map.entry(RESPONSE_PORT, "RESPONSE-PORT"),
			Map.entry(CONNECTION_ID, "CONNECTION-ID"), Map.entry(PASSWORD_ALGORITHMS, "PASSWORD-ALGORITHMS"),
			Map.entry(ALTERNATE_DOMAIN, "ALTERNATE-DOMAIN"), Map.entry(SOFTWARE, "SOFTWARE"),
			Map.entry(ALTERNATE_SERVER, "ALTERNATE-SERVER"), Map.entry(FINGERPRINT, "FINGERPRINT"),
			Map.entry(RESPONSE_ORIGIN, "RESPONSE-ORIGIN"), Map.entry(OTHER_ADDRESS, "OTHER-ADDRESS"),
			Map.entry(PRIORITY, "PRIORITY"), Map.entry(USE_CANDIDATE, "USE-CANDIDATE"),
			Map.entry(ICE_CONTROLLED, "ICE-CONTROLLED"), Map.entry(ICE_CONTROLLING, "ICE-CONTROLLING"));

	private StunAttributeType() {
	}

	/**
	 * Whether this library knows an attribute type.
	 * @param type the type
	 * @return true if it is in the registry entries above
	 */
	public static boolean isKnown(int type) {
		return NAMES.containsKey(type);
	}

	/**
	 * The registry's name of a type.
	 * @param type the type
	 * @return the name, or the number in hex when unknown
	 */
	public static String name(int type) {
		String name = NAMES.get(type);
		return (name != null) ? name : String.format("0x%04x", type);
	}

}
