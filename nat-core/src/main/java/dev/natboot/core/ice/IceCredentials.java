package dev.natboot.core.ice;

import java.security.SecureRandom;
import java.util.Objects;

import dev.natboot.core.stun.StunCredentials;

/**
 * An agent's username fragment and password (RFC 8445 section 5.3, RFC 8839 section 5.4): what the peer needs to
 * check a connectivity check's integrity. The password is a secret: {@link #toString()} leaves it out.
 * @param ufrag 4 to 256 ice-chars, at least 24 bits of randomness when this agent makes it
 * @param pwd 22 to 256 ice-chars, at least 128 bits of randomness when this agent makes it
 */
public record IceCredentials(String ufrag, String pwd) {

	private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	/** Characters of a fragment this agent makes: 48 bits. */
	static final int UFRAG_LENGTH = 8;

	/** Characters of a password this agent makes: 144 bits. */
	static final int PWD_LENGTH = 24;

	public IceCredentials {
		if (ufrag == null || !IceChars.isIceChars(ufrag, 4, 256)) {
			throw new IllegalArgumentException("An ice-ufrag is 4 to 256 ice-chars (letters, digits, + and /)");
		}
		if (pwd == null || !IceChars.isIceChars(pwd, 22, 256)) {
			// the password itself is never in the message
			throw new IllegalArgumentException("An ice-pwd is 22 to 256 ice-chars (letters, digits, + and /)");
		}
	}

	/**
	 * New random credentials, as an agent makes them at its start and at each ICE restart.
	 * @param random the source of randomness
	 * @return credentials of 48 and 144 random bits
	 */
	public static IceCredentials random(SecureRandom random) {
		Objects.requireNonNull(random, "random");
		return new IceCredentials(randomChars(random, UFRAG_LENGTH), randomChars(random, PWD_LENGTH));
	}

	private static String randomChars(SecureRandom random, int length) {
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			out.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
		}
		return out.toString();
	}

	/**
	 * What this agent's checks to the peer carry (RFC 8445 section 7.2.2): USERNAME {@code peer:this}, signed
	 * with the peer's password.
	 * @param peer the peer's credentials
	 * @return the short-term credentials of outgoing checks
	 */
	public StunCredentials toPeer(IceCredentials peer) {
		return StunCredentials.shortTerm(peer.ufrag + ":" + this.ufrag, peer.pwd);
	}

	/**
	 * What the peer's checks to this agent carry: USERNAME {@code this:peer}, signed with this agent's password.
	 * @param peer the peer's credentials
	 * @return the short-term credentials that incoming checks must match
	 */
	public StunCredentials fromPeer(IceCredentials peer) {
		return StunCredentials.shortTerm(this.ufrag + ":" + peer.ufrag, this.pwd);
	}

	@Override
	public String toString() {
		return "IceCredentials[ufrag=" + this.ufrag + ", pwd=(hidden)]";
	}

}
