package dev.natboot.core;

/**
 * A packet or document that does not follow its protocol: truncated, wrong version, unknown opcode, bad
 * lengths. The only exception a codec throws for bad input.
 */
public class MalformedMessageException extends Exception {

	private static final long serialVersionUID = 1L;

	public MalformedMessageException(String message) {
		super(message);
	}

}
