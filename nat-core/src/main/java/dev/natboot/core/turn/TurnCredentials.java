package dev.natboot.core.turn;

import java.util.Objects;

/**
 * A TURN user name and password for the long-term credential mechanism (RFC 8489 section 9.2). The password
 * never shows in {@link #toString()}, in exceptions or in logs.
 */
public final class TurnCredentials {

	private final String username;

	private final String password;

	private TurnCredentials(String username, String password) {
		this.username = username;
		this.password = password;
	}

	/**
	 * Credentials.
	 * @param username the user name
	 * @param password the password
	 * @return the credentials
	 * @throws IllegalArgumentException if either is empty
	 */
	public static TurnCredentials of(String username, String password) {
		if (Objects.requireNonNull(username, "username").isEmpty()) {
			throw new IllegalArgumentException("A TURN user name must not be empty");
		}
		if (Objects.requireNonNull(password, "password").isEmpty()) {
			throw new IllegalArgumentException("A TURN password must not be empty");
		}
		return new TurnCredentials(username, password);
	}

	/**
	 * The user name.
	 * @return the user name
	 */
	public String username() {
		return this.username;
	}

	String password() {
		return this.password;
	}

	@Override
	public String toString() {
		return "TurnCredentials[username=" + this.username + ", password=******]";
	}

}
