package dev.natboot.core;

/**
 * A mode specification that is not one of {@link NatMode#ACCEPTED_FORMS}.
 */
public class InvalidNatModeException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String spec;

	private final String reason;

	public InvalidNatModeException(String spec, String reason) {
		super("Invalid NAT mode '" + spec + "': " + reason + ". Accepted forms: " + NatMode.ACCEPTED_FORMS);
		this.spec = spec;
		this.reason = reason;
	}

	public String spec() {
		return this.spec;
	}

	public String reason() {
		return this.reason;
	}

}
