package dev.natboot.relay.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.jspecify.annotations.Nullable;

import dev.natboot.relay.Relay;
import dev.natboot.relay.RelayErrorKind;
import dev.natboot.relay.RelayException;
import dev.natboot.relay.RelayListener;
import dev.natboot.relay.RelayState;
import dev.natboot.relay.RelayStatus;

/**
 * A relay through an SSH server: logs in with the user's key, verifies the server's host key against the known
 * hosts, asks for a remote forward (RFC 4254 {@code tcpip-forward}) to the local server, proves from this host that
 * the forward answers on the server's public address, and keeps it: keepalives, and after a loss reconnects with
 * a capped backoff (fast for the first minute, so a restarted server is back in use within about a second).
 * Everything that can block runs on one daemon thread ({@code nat-relay}); MINA's I/O uses two more.
 */
public final class SshRelay implements Relay {

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	/** Retries stay this frequent during the first minute of an outage: a restart heals at once. */
	private static final Duration FAST_RETRY_CAP = Duration.ofSeconds(1);

	private static final Duration FAST_PHASE = Duration.ofMinutes(1);

	private static final Duration SLOW_FIRST_RETRY = Duration.ofSeconds(5);

	private final SshRelayOptions options;

	private final SshConnector connector;

	private final RelayTraffic traffic = new RelayTraffic();

	private final List<RelayListener> listeners = new CopyOnWriteArrayList<>();

	private final ScheduledThreadPoolExecutor executor;

	private final Clock clock;

	private volatile RelayState state;

	private volatile boolean closed;

	// Confined to the executor's thread from here on.

	private @Nullable ClientSession session;

	private @Nullable InetSocketAddress target;

	private boolean wanted;

	private @Nullable ScheduledFuture<?> retry;

	private int failedAttempts;

	private @Nullable Instant outageSince;

	/** The connection was up and went away: the next connect is a reconnect (a release and reopen is not). */
	private boolean lostAfterConnect;

	private @Nullable RelayException reported;

	public SshRelay(SshRelayOptions options) {
		this(options, Clock.systemUTC());
	}

	SshRelay(SshRelayOptions options, Clock clock) {
		this.options = options;
		this.clock = clock;
		this.connector = new SshConnector(options, this.traffic);
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "nat-relay");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
		this.state = new RelayState(RelayStatus.STANDBY, options.serverUri(), null, clock.instant(), null, 0, null, null,
				null, 0, 0, 0, 0);
	}

	@Override
	public void open(InetSocketAddress target) {
		Objects.requireNonNull(target, "target");
		submit(() -> {
			boolean retarget = !target.equals(this.target);
			this.target = target;
			this.wanted = true;
			if (retarget && this.session != null) {
				disconnect(true);
			}
			if (this.session == null && this.retry == null) {
				connect();
			}
		});
	}

	@Override
	public void release() {
		submit(() -> {
			if (!this.wanted) {
				return;
			}
			this.wanted = false;
			cancelRetry();
			disconnect(true);
			this.reported = null;
			this.lostAfterConnect = false;
			this.state = next(RelayStatus.STANDBY, null);
			RelayState released = this.state;
			notifyListeners((listener) -> listener.relayReleased(released));
		});
	}

	@Override
	public RelayState state() {
		RelayState current = this.state;
		return new RelayState(current.status(), current.server(), current.publicAddress(), current.since(),
				current.connectedIn(), current.reconnects(), current.lastError(), current.lastErrorKind(),
				current.lastErrorAt(), this.traffic.connections(), this.traffic.openConnections(),
				this.traffic.bytesIn(), this.traffic.bytesOut());
	}

	@Override
	public boolean isRelayed(InetSocketAddress peer) {
		return this.traffic.isRelayed(peer);
	}

	@Override
	public void addListener(RelayListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void removeListener(RelayListener listener) {
		this.listeners.remove(listener);
	}

	private void connect() {
		this.retry = null;
		InetSocketAddress target = this.target;
		if (!this.wanted || this.closed || target == null) {
			return;
		}
		this.state = next(RelayStatus.CONNECTING, this.state);
		long start = System.nanoTime();
		ClientSession opened = null;
		try {
			opened = this.connector.login();
			SshdSocketAddress bound = this.connector.forward(opened, target);
			String publicHost = publicHost();
			InetSocketAddress endpoint = InetSocketAddress.createUnresolved(publicHost, bound.getPort());
			this.connector.proveForward(publicHost, bound.getPort());
			ClientSession watched = opened;
			opened.addSessionListener(new SessionListener() {
				@Override
				public void sessionClosed(Session closedSession) {
					submit(() -> lost(watched));
				}
			});
			if (this.closed) {
				closeQuietly(opened);
				return;
			}
			if (!opened.isOpen()) {
				throw new RelayException(RelayErrorKind.CONNECTION_LOST, "The relay server " + where()
						+ " closed the connection as the forward was set up");
			}
			this.session = opened;
			long reconnects = this.state.reconnects() + (this.lostAfterConnect ? 1 : 0);
			this.lostAfterConnect = false;
			this.failedAttempts = 0;
			this.outageSince = null;
			this.reported = null;
			this.state = new RelayState(RelayStatus.CONNECTED, this.options.serverUri(), endpoint, this.clock.instant(),
					Duration.ofNanos(System.nanoTime() - start), reconnects, null, null, null, 0, 0, 0, 0);
			RelayState connected = state();
			notifyListeners((listener) -> listener.relayConnected(connected));
		}
		catch (RelayException ex) {
			closeQuietly(opened);
			failed(ex);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(opened);
			failed(new RelayException(RelayErrorKind.SSH_ERROR, "The relay through " + where() + " failed: "
					+ SshConnector.describe(ex), ex));
		}
	}

	private void lost(ClientSession closedSession) {
		if (closedSession != this.session) {
			return;
		}
		this.session = null;
		this.lostAfterConnect = true;
		if (this.wanted && !this.closed) {
			failed(new RelayException(RelayErrorKind.CONNECTION_LOST, "The connection to the relay server " + where()
					+ " was lost (server restarted, network gone, or " + SshConnector.KEEPALIVES_UNANSWERED
					+ " keepalives unanswered)"));
		}
	}

	private void failed(RelayException cause) {
		if (this.closed) {
			return; // an attempt that close() cut short: CLOSED stays
		}
		Instant now = this.clock.instant();
		if (this.outageSince == null) {
			this.outageSince = now;
		}
		this.failedAttempts++;
		this.state = new RelayState(RelayStatus.DISCONNECTED, this.options.serverUri(), null,
				(this.state.status() == RelayStatus.DISCONNECTED) ? this.state.since() : now, this.state.connectedIn(),
				this.state.reconnects(), cause.getMessage(), cause.kind(), now, 0, 0, 0, 0);
		RelayException previous = this.reported;
		if (previous == null || previous.kind() != cause.kind()
				|| !Objects.equals(previous.getMessage(), cause.getMessage())) {
			this.reported = cause;
			RelayState lost = state();
			notifyListeners((listener) -> listener.relayLost(lost, cause));
		}
		if (this.wanted && !this.closed) {
			long delay = retryDelay(cause, now).toMillis();
			try {
				this.retry = this.executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.retry = null; // closing
			}
		}
	}

	Duration retryDelay(RelayException cause, Instant now) {
		Duration max = this.options.maxRetryInterval();
		Duration first = cause.kind().needsConfigurationChange() ? SLOW_FIRST_RETRY : FIRST_RETRY;
		Duration delay = first.multipliedBy(1L << Math.min(this.failedAttempts - 1, 20));
		Instant since = this.outageSince;
		boolean fastPhase = !cause.kind().needsConfigurationChange() && since != null
				&& Duration.between(since, now).compareTo(FAST_PHASE) < 0;
		Duration cap = fastPhase ? FAST_RETRY_CAP : max;
		return (delay.compareTo(cap) > 0) ? cap : delay;
	}

	/** Where the internet reaches the forward: the server's host, or the address the forward is bound to. */
	private String publicHost() {
		String address = this.options.remoteAddress().trim();
		boolean wildcard = address.isEmpty() || address.equals("*") || address.equals("0.0.0.0")
				|| address.equals("::") || this.options.bindsLoopbackOnly();
		return wildcard ? this.options.host() : address;
	}

	private void disconnect(boolean graceful) {
		ClientSession current = this.session;
		this.session = null;
		if (current == null) {
			return;
		}
		if (graceful && current.isOpen()) {
			try {
				// No reply is asked for: a server that has vanished cannot hold this up.
				current.stopRemotePortForwarding(
						new SshdSocketAddress(this.options.remoteAddress(), this.options.remotePort()));
			}
			catch (IOException | RuntimeException ex) {
				// closing anyway
			}
		}
		closeQuietly(current);
	}

	private static void closeQuietly(@Nullable ClientSession opened) {
		if (opened != null) {
			opened.close(true);
		}
	}

	@Override
	public void close(Duration timeout) {
		if (this.closed) {
			return;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		Future<?> teardown = null;
		try {
			teardown = this.executor.submit(() -> {
				this.closed = true;
				this.wanted = false;
				cancelRetry();
				disconnect(true);
			});
			teardown.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException | ExecutionException | TimeoutException ex) {
			// bounded: what did not end in time is dropped below
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.closed = true;
		this.executor.shutdownNow();
		this.connector.close(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
		this.state = next(RelayStatus.CLOSED, null);
		RelayState closedState = state();
		notifyListeners((listener) -> listener.relayReleased(closedState));
	}

	private void cancelRetry() {
		ScheduledFuture<?> pending = this.retry;
		this.retry = null;
		if (pending != null) {
			pending.cancel(false);
		}
	}

	private RelayState next(RelayStatus status, @Nullable RelayState keepError) {
		RelayState current = this.state;
		return new RelayState(status, this.options.serverUri(), null,
				(status == current.status()) ? current.since() : this.clock.instant(), current.connectedIn(),
				current.reconnects(), (keepError != null) ? keepError.lastError() : null,
				(keepError != null) ? keepError.lastErrorKind() : null,
				(keepError != null) ? keepError.lastErrorAt() : null, 0, 0, 0, 0);
	}

	/** A listener's failure is its own: it must not tear down the relay or keep the next listener from hearing. */
	private void notifyListeners(java.util.function.Consumer<RelayListener> call) {
		for (RelayListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				// ignored, as the engine ignores its listeners' failures
			}
		}
	}

	private void submit(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private String where() {
		return this.options.host() + ":" + this.options.port();
	}

}
