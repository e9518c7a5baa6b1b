package dev.natboot.core.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;

/**
 * The long-term credential mechanism's state (RFC 8489 section 9.2): nothing until the server's first 401 names
 * its realm and nonce, then USERNAME, REALM, NONCE and MESSAGE-INTEGRITY on every request, a new nonce on 438.
 * A server of RFC 8489 (its nonce starts with the cookie {@code obMatJos2} and it offers PASSWORD-ALGORITHMS)
 * gets the SHA-256 key and MESSAGE-INTEGRITY-SHA256 when it offers SHA-256; RFC 5389 servers such as coturn get
 * MD5 and MESSAGE-INTEGRITY. Shared by an allocation's control connection and its data connections.
 */
final class LongTermAuth {

	/** RFC 8489 section 9.2: a nonce that starts with this says the server knows the new features. */
	private static final String NONCE_COOKIE = "obMatJos2";

	private final TurnCredentials credentials;

	private volatile @Nullable State state;

	private record State(String realm, String nonce, StunAttribute.@Nullable PasswordAlgorithms offered,
			int algorithm, StunCredentials key) {
	}

	LongTermAuth(TurnCredentials credentials) {
		this.credentials = credentials;
	}

	String username() {
		return this.credentials.username();
	}

	/** The key to sign with, {@code null} before the server asked for credentials. */
	@Nullable StunCredentials key() {
		State current = this.state;
		return (current != null) ? current.key() : null;
	}

	/** The attributes every signed request carries, MESSAGE-INTEGRITY aside (the codec adds it). */
	List<StunAttribute> attributes() {
		State current = this.state;
		if (current == null) {
			return List.of();
		}
		List<StunAttribute> attributes = new ArrayList<>();
		attributes.add(new StunAttribute.Username(this.credentials.username()));
		attributes.add(new StunAttribute.Realm(current.realm()));
		attributes.add(new StunAttribute.Nonce(current.nonce()));
		if (current.offered() != null) {
			attributes.add(current.offered());
			attributes.add(new StunAttribute.PasswordAlgorithm(current.algorithm()));
		}
		return attributes;
	}

	/**
	 * Takes the realm and nonce of a 401 or 438 answer.
	 * @throws NatException if the answer lacks them, or offers no password algorithm this client knows
	 */
	void challenged(StunMessage answer) throws NatException {
		Optional<StunAttribute.Nonce> nonce = answer.attribute(StunAttribute.Nonce.class);
		State current = this.state;
		Optional<StunAttribute.Realm> realm = answer.attribute(StunAttribute.Realm.class);
		if (nonce.isEmpty() || (realm.isEmpty() && current == null)) {
			throw new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.TURN, "The TURN server asked for "
					+ "credentials without naming its " + (nonce.isEmpty() ? "NONCE" : "REALM"));
		}
		String realmValue = realm.map(StunAttribute.Realm::realm).orElseGet(() -> current.realm());
		StunAttribute.@Nullable PasswordAlgorithms offered = nonce.get().nonce().startsWith(NONCE_COOKIE)
				? answer.attribute(StunAttribute.PasswordAlgorithms.class).orElse(null) : null;
		int algorithm = StunAttribute.PasswordAlgorithm.MD5;
		StunCredentials.Integrity integrity = StunCredentials.Integrity.SHA1;
		if (offered != null) {
			List<Integer> numbers = offered.algorithms().stream().map(StunAttribute.PasswordAlgorithm::algorithm).toList();
			if (numbers.contains(StunAttribute.PasswordAlgorithm.SHA256)) {
				algorithm = StunAttribute.PasswordAlgorithm.SHA256;
				integrity = StunCredentials.Integrity.SHA256;
			}
			else if (!numbers.contains(StunAttribute.PasswordAlgorithm.MD5)) {
				throw new NatException(NatErrorKind.UNSUPPORTED_OPERATION, NatProtocol.TURN,
						"The TURN server offers only password algorithms this client does not know: " + numbers);
			}
		}
		StunCredentials key = StunCredentials.longTerm(this.credentials.username(), realmValue,
				this.credentials.password(), algorithm, integrity);
		this.state = new State(realmValue, nonce.get().nonce(), offered, algorithm, key);
	}

}
