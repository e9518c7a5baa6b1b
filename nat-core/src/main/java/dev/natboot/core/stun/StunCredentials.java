package dev.natboot.core.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Objects;

/**
 * The key that signs and checks STUN messages (RFC 8489 section 9): the short-term mechanism (ICE) keys with
 * the password itself, the long-term one (TURN) with a hash of user name, realm and password. Passwords are
 * prepared as the OpaqueString profile says (RFC 8265: Unicode NFC, other spaces as U+0020). The key and the
 * password never show in {@link #toString()}.
 */
public final class StunCredentials {

	/** Which integrity attribute signs a message. */
	public enum Integrity {

		/** MESSAGE-INTEGRITY, HMAC-SHA1: what every server checks (RFC 5389 and RFC 8489). */
		SHA1("HmacSHA1"),

		/** MESSAGE-INTEGRITY-SHA256, HMAC-SHA256 (RFC 8489), for servers that offer it. */
		SHA256("HmacSHA256");

		private final String macAlgorithm;

		Integrity(String macAlgorithm) {
			this.macAlgorithm = macAlgorithm;
		}

		String macAlgorithm() {
			return this.macAlgorithm;
		}

	}

	private final String username;

	private final byte[] key;

	private final Integrity integrity;

	private final String mechanism;

	private StunCredentials(String username, byte[] key, Integrity integrity, String mechanism) {
		this.username = username;
		this.key = key;
		this.integrity = integrity;
		this.mechanism = mechanism;
	}

	/**
	 * Short-term credentials, as ICE uses them (RFC 8489 section 9.1.1): the key is the password.
	 * @param username the user name, sent in USERNAME
	 * @param password the password
	 * @return the credentials, signing with MESSAGE-INTEGRITY
	 */
	public static StunCredentials shortTerm(String username, String password) {
		return new StunCredentials(requireText(username, "user name"),
				opaqueString(password).getBytes(StandardCharsets.UTF_8), Integrity.SHA1, "short-term");
	}

	/**
	 * Long-term credentials, as TURN servers use them (RFC 8489 section 9.2.2): the key is
	 * MD5(username ":" realm ":" password), or SHA-256 of the same when the server offered and the client chose
	 * {@link StunAttribute.PasswordAlgorithm#SHA256}.
	 * @param username the user name
	 * @param realm the realm the server named in its 401 answer
	 * @param password the password
	 * @param passwordAlgorithm {@link StunAttribute.PasswordAlgorithm#MD5} or
	 * {@link StunAttribute.PasswordAlgorithm#SHA256}
	 * @param integrity the attribute that signs requests
	 * @return the credentials
	 */
	public static StunCredentials longTerm(String username, String realm, String password, int passwordAlgorithm,
			Integrity integrity) {
		String digest = switch (passwordAlgorithm) {
			case StunAttribute.PasswordAlgorithm.MD5 -> "MD5";
			case StunAttribute.PasswordAlgorithm.SHA256 -> "SHA-256";
			default -> throw new IllegalArgumentException("Unknown STUN password algorithm " + passwordAlgorithm);
		};
		String text = requireText(username, "user name") + ":" + Objects.requireNonNull(realm, "realm") + ":"
				+ opaqueString(password);
		try {
			byte[] key = MessageDigest.getInstance(digest).digest(text.getBytes(StandardCharsets.UTF_8));
			return new StunCredentials(username, key, Objects.requireNonNull(integrity), "long-term");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK lacks " + digest, ex);
		}
	}

	/**
	 * The user name, for USERNAME.
	 * @return the user name
	 */
	public String username() {
		return this.username;
	}

	/**
	 * The attribute that signs messages.
	 * @return SHA1 or SHA256
	 */
	public Integrity integrity() {
		return this.integrity;
	}

	byte[] key() {
		return this.key;
	}

	private static String requireText(String text, String what) {
		if (text == null || text.isEmpty()) {
			throw new IllegalArgumentException("A STUN " + what + " must not be empty");
		}
		return text;
	}

	/** RFC 8265 section 4.2 (OpaqueString), enforcement: other spaces as U+0020, then NFC; no controls. */
	static String opaqueString(String password) {
		requireText(password, "password");
		StringBuilder mapped = new StringBuilder(password.length());
		password.codePoints().forEach((codePoint) -> {
			if (Character.isISOControl(codePoint)) {
				throw new IllegalArgumentException("A STUN password must not contain control characters");
			}
			mapped.appendCodePoint((codePoint != ' ' && Character.isSpaceChar(codePoint)) ? ' ' : codePoint);
		});
		return Normalizer.normalize(mapped, Normalizer.Form.NFC);
	}

	@Override
	public String toString() {
		return "StunCredentials[" + this.mechanism + ", username=" + this.username + ", integrity=" + this.integrity
				+ "]";
	}

}
