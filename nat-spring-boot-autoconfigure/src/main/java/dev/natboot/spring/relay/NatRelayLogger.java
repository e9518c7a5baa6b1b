package dev.natboot.spring.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.natboot.core.reachability.Reachability;
import dev.natboot.relay.RelayException;
import dev.natboot.relay.RelayListener;
import dev.natboot.relay.RelayState;
import dev.natboot.relay.RelayVerificationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The relay's log lines: one when it connects ("reachable through relay HOST:PORT"), one warning per new error
 * and then a reminder at most every 5 minutes while it stays down (each retry at DEBUG), one when it is released,
 * and the result of the check from outside of the relayed endpoint.
 */
public class NatRelayLogger implements RelayListener, RelayVerificationListener {

	private static final Log logger = LogFactory.getLog(NatRelayLogger.class);

	static final Duration REMINDER_INTERVAL = Duration.ofMinutes(5);

	private final java.util.function.IntSupplier serverPort;

	private final Clock clock;

	private @Nullable Instant lastWarning;

	private boolean connectedBefore;

	private dev.natboot.relay.@Nullable RelayErrorKind lastKind;

	/**
	 * A logger.
	 * @param serverPort the web server's port, once known
	 */
	public NatRelayLogger(java.util.function.IntSupplier serverPort) {
		this(serverPort, Clock.systemUTC());
	}

	NatRelayLogger(java.util.function.IntSupplier serverPort, Clock clock) {
		this.serverPort = serverPort;
		this.clock = clock;
	}

	@Override
	public synchronized void relayConnected(RelayState state) {
		this.lastWarning = null;
		this.lastKind = null;
		Duration took = state.connectedIn();
		logger.info("Web server port " + this.serverPort.getAsInt() + "/TCP is reachable through relay " + state.publicEndpoint()
				+ " (" + state.server() + ((took != null) ? ", connected in " + took.toMillis() + " ms" : "")
				+ (this.connectedBefore ? ", reconnect " + state.reconnects() : "") + ")");
		this.connectedBefore = true;
	}

	@Override
	public synchronized void relayLost(RelayState state, RelayException cause) {
		Instant now = this.clock.instant();
		Instant last = this.lastWarning;
		// One warning per outage, however its error changes (lost, then refused while the server restarts), unless
		// it turns into one a person must fix; then a reminder at most every 5 minutes.
		boolean needsAction = cause.kind().needsConfigurationChange() && cause.kind() != this.lastKind;
		if (last == null || needsAction || Duration.between(last, now).compareTo(REMINDER_INTERVAL) >= 0) {
			this.lastWarning = now;
			this.lastKind = cause.kind();
			logger.warn("Relay " + state.server() + " is down (" + cause.kind() + "): " + cause.getMessage()
					+ "; retrying");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Relay " + state.server() + " still down (" + cause.kind() + "): " + cause.getMessage());
		}
	}

	@Override
	public synchronized void relayReleased(RelayState state) {
		this.lastWarning = null;
		this.lastKind = null;
		logger.info("Relay " + state.server() + " released (" + state.status().name().toLowerCase(java.util.Locale.ROOT)
				+ ")");
	}

	@Override
	public void relayChecked(Reachability result) {
		if (result.isReachable()) {
			logger.info("Relay endpoint " + result.endpoint() + " is verified reachable from outside (through "
					+ result.via() + ", checked in " + ((result.took() != null) ? result.took().toMillis() : 0) + " ms)");
		}
		else {
			logger.warn("Relay endpoint " + result.endpoint() + " is " + result.status() + " from outside: "
					+ result.reason());
		}
	}

}
