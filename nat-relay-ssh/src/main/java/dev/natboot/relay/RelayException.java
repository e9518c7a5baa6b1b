package dev.natboot.relay;

import java.io.IOException;

/**
 * A relay that could not be set up or kept. Its message names the server and what to fix, never a secret (no
 * password, passphrase or key material).
 */
public class RelayException extends IOException {

	private static final long serialVersionUID = 1L;

	private final RelayErrorKind kind;

	public RelayException(RelayErrorKind kind, String message) {
		super(message);
		this.kind = kind;
	}

	public RelayException(RelayErrorKind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	public RelayErrorKind kind() {
		return this.kind;
	}

}
