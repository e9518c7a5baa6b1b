package dev.natboot.core;

import org.jspecify.annotations.Nullable;

/**
 * A typed failure of a NAT operation: what kind of failure, which protocol reported it and, when the router
 * answered with an error, the router's own result code.
 */
public class NatException extends Exception {

	private static final long serialVersionUID = 1L;

	/** Value of {@link #routerCode()} when the router sent no error code. */
	public static final int NO_ROUTER_CODE = -1;

	private final NatErrorKind kind;

	private final @Nullable NatProtocol protocol;

	private final int routerCode;

	public NatException(NatErrorKind kind, @Nullable NatProtocol protocol, int routerCode, String message) {
		this(kind, protocol, routerCode, message, null);
	}

	public NatException(NatErrorKind kind, @Nullable NatProtocol protocol, int routerCode, String message,
			@Nullable Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.protocol = protocol;
		this.routerCode = routerCode;
	}

	public NatException(NatErrorKind kind, @Nullable NatProtocol protocol, String message) {
		this(kind, protocol, NO_ROUTER_CODE, message, null);
	}

	public NatErrorKind kind() {
		return this.kind;
	}

	public @Nullable NatProtocol protocol() {
		return this.protocol;
	}

	/**
	 * Result code sent by the router, or {@link #NO_ROUTER_CODE}.
	 * @return the router's code
	 */
	public int routerCode() {
		return this.routerCode;
	}

	/**
	 * Unwraps a {@link NatException} from the exceptions that asynchronous code wraps it in.
	 * @param failure what a future completed with
	 * @param protocol protocol to blame when the failure is not a {@link NatException}
	 * @return the typed failure
	 */
	public static NatException of(Throwable failure, @Nullable NatProtocol protocol) {
		Throwable current = failure;
		while (current != null) {
			if (current instanceof NatException nat) {
				return nat;
			}
			current = current.getCause();
		}
		return new NatException(NatErrorKind.IO_ERROR, protocol, NO_ROUTER_CODE, String.valueOf(failure.getMessage()),
				failure);
	}

}
