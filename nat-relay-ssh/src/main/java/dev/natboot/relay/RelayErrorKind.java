package dev.natboot.relay;

/** Why a relay is not up. Users read it in health, the endpoint, events and logs, so each says what to fix. */
public enum RelayErrorKind {

	/** The relay server's host key is not in the known hosts: nothing was sent to it. */
	HOST_KEY_UNKNOWN(true),

	/** The relay server's host key differs from the one the known hosts hold for it: nothing was sent to it. */
	HOST_KEY_CHANGED(true),

	/** The server refused the user's key (or the key could not be read). */
	AUTHENTICATION_FAILED(true),

	/** The server refused the remote forward (GatewayPorts, PermitListen, AllowTcpForwarding, port taken). */
	FORWARD_REFUSED(false),

	/** The server could not be reached: refused, unroutable, or no answer within the connect timeout. */
	SERVER_UNREACHABLE(false),

	/** The connection was up and went away (server restarted, network gone, keepalives unanswered). */
	CONNECTION_LOST(false),

	/** Anything else the SSH layer reported. */
	SSH_ERROR(false);

	private final boolean needsConfigurationChange;

	RelayErrorKind(boolean needsConfigurationChange) {
		this.needsConfigurationChange = needsConfigurationChange;
	}

	/**
	 * Whether retrying cannot help until someone changes the configuration or the server (a key, a host key):
	 * such errors are retried at the slowest pace only.
	 * @return true when a person must act
	 */
	public boolean needsConfigurationChange() {
		return this.needsConfigurationChange;
	}

}
