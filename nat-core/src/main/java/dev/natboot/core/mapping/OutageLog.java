package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.NatException;

/**
 * Logs a mapping's failures so that a router gone for hours costs a handful of lines, not one per retry: a
 * warning at the first failure, then at most one reminder per pause, the rest at DEBUG, and one line when the
 * router answers again. Runs on the engine's loop thread only.
 */
final class OutageLog {

	private static final System.Logger logger = System.getLogger(OutageLog.class.getName());

	/** Longest silence about a mapping that keeps failing. */
	static final Duration DEFAULT_REMINDER_PAUSE = Duration.ofMinutes(5);

	private final long reminderPauseNanos;

	OutageLog(Duration reminderPause) {
		this.reminderPauseNanos = reminderPause.toNanos();
	}

	void failed(ManagedMapping mapping, NatException cause, long retryDelayNanos, Instant now) {
		long nowNanos = System.nanoTime();
		boolean first = mapping.failuresInARow == 1;
		boolean remind = !first && nowNanos - mapping.lastWarningNanos >= this.reminderPauseNanos;
		// An IPv6 pinhole that never opened is a nice-to-have the router does not offer: said, not warned about.
		boolean optional = mapping.spec.family() == StandardProtocolFamily.INET6 && mapping.confirmedAt == null;
		Level level = (first || remind) ? (optional ? Level.INFO : Level.WARNING) : Level.DEBUG;
		if (!logger.isLoggable(level)) {
			return;
		}
		if (level != Level.DEBUG) {
			mapping.lastWarningNanos = nowNanos;
		}
		StringBuilder message = new StringBuilder(subject(mapping));
		if (remind && mapping.failingSince != null) {
			message.append(" still failing after ")
				.append(mapping.failuresInARow)
				.append(" attempts since ")
				.append(mapping.failingSince)
				.append(" (")
				.append(Duration.between(mapping.failingSince, now).toSeconds())
				.append(" s)");
		}
		else {
			message.append(" failed");
		}
		message.append(": ").append(cause.getMessage()).append(" [").append(cause.kind()).append("]; retrying in ");
		message.append(TimeUnit.NANOSECONDS.toMillis(retryDelayNanos)).append(" ms");
		if (level != Level.DEBUG) {
			message.append(" (next reminder in ").append(TimeUnit.NANOSECONDS.toMinutes(this.reminderPauseNanos))
				.append(" min at most; each retry at DEBUG)");
		}
		logger.log(level, message.toString());
	}

	/**
	 * Logs the end of an outage.
	 * @param mapping the mapping, just granted
	 * @param failuresInARow how many attempts had failed before
	 * @param failingSince when they began
	 * @param now the time
	 */
	void recovered(ManagedMapping mapping, int failuresInARow, Instant failingSince, Instant now) {
		logger.log(Level.INFO, () -> subject(mapping) + " mapped again after " + failuresInARow + " failed attempts over "
				+ Duration.between(failingSince, now).toMillis() + " ms");
	}

	private static String subject(ManagedMapping mapping) {
		return "Mapping '" + mapping.spec.name() + "' (" + mapping.spec.internalPort() + "/" + mapping.spec.transport() + ")";
	}

}
