package dev.natboot.core.ice;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A full ICE agent (RFC 8445) for one data stream of UDP datagrams: it gathers host, server-reflexive and
 * port-mapped candidates, gives its description to the application to send to the peer over any signalling,
 * checks every pair with the peer's description, and hands back an {@link IceConnection} over the pair the
 * controlling side nominated.
 *
 * <pre>
 * IceAgent agent = IceAgent.builder().stunServer(stun).build();
 * IceDescription mine = agent.gather().join();        // send mine.toSdp() to the peer
 * IceConnection connection = agent.connect(IceDescription.parse(theirs), Duration.ofSeconds(10)).join();
 * connection.send(data);
 * </pre>
 *
 * Everything runs on one event loop thread, the agent's own or one shared with other agents and the mapping
 * engine. The agent is thread-safe; its listeners are called on the loop thread.
 */
public final class IceAgent implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(IceAgent.class.getName());

	private enum State {

		NEW, GATHERING, GATHERED, CHECKING, CONNECTED, CLOSED

	}

	private final NatEventLoop loop;

	private final boolean ownLoop;

	private final IceSettings settings;

	private volatile IceCredentials credentials;

	private final List<InetAddress> localAddresses;

	private final int localPort;

	private final List<IceAgentListener> listeners;

	private final IceCounters.Mutable counters = new IceCounters.Mutable();

	private final IceGathering gathering;

	private volatile IceChecks checks;

	private final SecureRandom random;

	private final CompletableFuture<IceDescription> gathered = new CompletableFuture<>();

	private volatile CompletableFuture<IceConnection> connected = new CompletableFuture<>();

	private final java.util.concurrent.atomic.AtomicBoolean connectCalled = new java.util.concurrent.atomic.AtomicBoolean();

	private volatile State state = State.NEW;

	private volatile IceRole role;

	private volatile @Nullable IceConnection connection;

	private final List<EarlyDatagram> earlyData = new ArrayList<>();

	private final boolean trickle;

	/** Every local candidate so far, for {@link #localDescription()}. */
	private final List<IceCandidate> localCandidates = new CopyOnWriteArrayList<>();

	/** The peer's trickled candidates that came before {@link #connect}, paired once it starts. */
	private final List<IceCandidate> earlyRemoteCandidates = new ArrayList<>();

	private NatEventLoop.@Nullable Timer connectTimer;

	IceAgent(IceAgentBuilder builder) {
		this.ownLoop = builder.loop == null;
		this.loop = (builder.loop != null) ? builder.loop : NatEventLoop.open("natboot-ice");
		this.settings = builder.settings();
		this.random = builder.random;
		this.credentials = IceCredentials.random(builder.random);
		this.localAddresses = List.copyOf(builder.localAddresses);
		this.localPort = builder.localPort;
		this.listeners = new CopyOnWriteArrayList<>(builder.listeners);
		this.role = builder.role;
		this.trickle = builder.trickle;
		this.gathering = new IceGathering(this.loop, new Dispatcher(), builder.stunServers, builder.portMapper,
				builder.relays, builder.transports.contains(dev.natboot.core.Transport.UDP),
				builder.transports.contains(dev.natboot.core.Transport.TCP), this::gathered, this::socketAdded);
		this.checks = new IceChecks(this.loop, this.settings, this.credentials, builder.role, builder.random.nextLong(),
				this.gathering, this.counters, new Events());
	}

	public static IceAgentBuilder builder() {
		return new IceAgentBuilder();
	}

	/**
	 * Punches a UDP hole to a peer that already knows this side's public endpoint, as this side knows the peer's:
	 * {@link HolePunch#punch}, for peers that need no candidates, checks or relays.
	 * @param localPort the local port this side's public endpoint belongs to
	 * @param remoteAddress the peer's public address
	 * @param remotePort the peer's public port
	 * @param timeout how long to try
	 * @return the path, its socket connected to the peer
	 */
	public static CompletableFuture<HolePunch.Path> holePunch(int localPort, InetAddress remoteAddress, int remotePort,
			Duration timeout) {
		return HolePunch.punch(localPort, new InetSocketAddress(remoteAddress, remotePort), timeout);
	}

	/**
	 * Punches a TCP hole to a peer whose public endpoint this side knows, as the peer knows this side's:
	 * {@link TcpHolePunch#punch}, TCP simultaneous open at a time the peers agreed over their signalling.
	 * @param localPort the local port this side's public endpoint belongs to ({@link TcpHolePunch#publicEndpoint})
	 * @param remoteAddress the peer's public address
	 * @param remotePort the peer's public port
	 * @param startDelay half the signalling round trip for the side that measured it, zero for the other
	 * @param timeout how long to try
	 * @return the connection
	 */
	public static CompletableFuture<TcpHolePunch.Path> holePunchTcp(int localPort, InetAddress remoteAddress,
			int remotePort, Duration startDelay, Duration timeout) {
		return TcpHolePunch.punch(localPort, new InetSocketAddress(remoteAddress, remotePort), startDelay, timeout);
	}

	/**
	 * This agent's credentials, the password hidden in {@code toString}; its description carries them.
	 * @return the ufrag and pwd
	 */
	public IceCredentials credentials() {
		return this.credentials;
	}

	/**
	 * The role the agent has now: the one it was built with, or the other after a role conflict.
	 * @return the role
	 */
	public IceRole role() {
		return this.role;
	}

	/**
	 * Gathers the local candidates, once; later calls return the same result.
	 * @return this agent's description once every candidate is known: the host candidates at once, the
	 *     server-reflexive ones when the STUN servers answered or gave up (about 1.5 s at most), the port-mapped
	 *     ones when the router answered; fails with {@link IceException.Reason#NO_LOCAL_CANDIDATES} when no
	 *     socket opened
	 */
	public CompletableFuture<IceDescription> gather() {
		execute(() -> {
			if (this.state != State.NEW) {
				return;
			}
			this.state = State.GATHERING;
			List<InetAddress> addresses;
			try {
				addresses = this.localAddresses.isEmpty() ? IceGathering.usableAddresses() : this.localAddresses;
			}
			catch (SocketException ex) {
				addresses = List.of();
			}
			int opened = this.gathering.start(addresses, this.localPort, this::gatheringEnded);
			if (opened == 0) {
				fail(new IceException(IceException.Reason.NO_LOCAL_CANDIDATES,
						"No socket could be opened on any of " + addresses.size() + " local addresses"));
				return;
			}
			this.loop.execute(this.checks::warmUp);
		});
		return this.gathered.thenApply((description) -> description);
	}

	/**
	 * Checks every pair of this agent's candidates with the peer's, gathering first if that was not done.
	 * @param remote the peer's description
	 * @param timeout how long checking may take before the agent fails
	 * @return the connection; fails with an {@link IceException}: {@code TIMEOUT} when no pair was selected in
	 *     time, {@code BAD_DESCRIPTION} for this agent's own description, {@code ILLEGAL_STATE} when called twice
	 */
	public CompletableFuture<IceConnection> connect(IceDescription remote, Duration timeout) {
		if (!this.connectCalled.compareAndSet(false, true)) {
			return CompletableFuture.failedFuture(new IceException(IceException.Reason.ILLEGAL_STATE,
					"This agent is already connecting or connected; an agent connects once"));
		}
		CompletableFuture<?> ready = this.trickle ? CompletableFuture.completedFuture(null) : gather();
		if (this.trickle) {
			gather(); // checking starts with the host candidates; later candidates join as they come
		}
		ready.whenComplete((description, failure) -> execute(() -> {
			if (failure != null || this.state == State.CLOSED) {
				return; // the connect future failed with it
			}
			if (this.state != State.GATHERED && !(this.trickle && this.state == State.GATHERING)) {
				return; // closed meanwhile: the connect future failed with it
			}
			if (remote.credentials().ufrag().equals(this.credentials.ufrag())) {
				failConnect(this.connected, new IceException(IceException.Reason.BAD_DESCRIPTION,
						"The remote description is this agent's own"));
				return;
			}
			this.state = State.CHECKING;
			CompletableFuture<IceConnection> connecting = this.connected;
			this.connectTimer = this.loop.schedule(() -> timedOut(connecting, timeout), timeout);
			notifyListeners((listener) -> listener.checkingStarted(remote));
			this.checks.start(remote);
			this.earlyRemoteCandidates.forEach(this.checks::addRemote);
			this.earlyRemoteCandidates.clear();
		}));
		return this.connected.thenApply((established) -> established);
	}

	private void timedOut(CompletableFuture<IceConnection> connecting, Duration timeout) {
		failConnect(connecting, new IceException(IceException.Reason.TIMEOUT,
				"No pair of " + this.checks.pairs().size() + " connected within " + timeout.toMillis() + " ms"));
	}

	/** A connect that failed: the agent with it, unless a restart's, which leaves the connection on its pair. */
	private void failConnect(CompletableFuture<IceConnection> connecting, IceException failure) {
		IceConnection established = this.connection;
		if (established == null || (this.state != State.CHECKING && this.state != State.GATHERED)) {
			fail(failure);
			return;
		}
		// A restart that did not connect: the connection stays on its pair while the peer consents to it.
		this.checks.stop();
		this.state = State.CONNECTED;
		notifyListeners((listener) -> listener.failed(failure));
		connecting.completeExceptionally(failure);
	}

	/**
	 * ICE restart (RFC 8445 section 9): new credentials and new checks over the same candidates, while the
	 * connection goes on over its pair. Send the new description to the peer, which restarts too, then
	 * {@link #connect} with the peer's new one: once a pair is selected the connection moves to it (the same
	 * {@link IceConnection}); if none is in time, the connect fails and the connection stays where it was.
	 * @return this agent's new description; fails with {@code ILLEGAL_STATE} unless the agent is connected
	 */
	public CompletableFuture<IceDescription> restart() {
		CompletableFuture<IceDescription> result = new CompletableFuture<>();
		execute(() -> {
			if (this.state != State.CONNECTED) {
				result.completeExceptionally(new IceException(IceException.Reason.ILLEGAL_STATE,
						"Only a connected agent restarts, not one that is " + this.state.name().toLowerCase(java.util.Locale.ROOT)));
				return;
			}
			this.checks.stop();
			this.credentials = IceCredentials.random(this.random);
			this.checks = new IceChecks(this.loop, this.settings, this.credentials, this.role, this.random.nextLong(),
					this.gathering, this.counters, new Events());
			this.connected = new CompletableFuture<>();
			this.connectCalled.set(false);
			this.state = State.GATHERED;
			result.complete(IceDescription.of(this.credentials, this.gathering.candidates()));
		});
		return result;
	}

	/** The checks now: a restart replaces them, and the connection's consent checks use the current credentials. */
	IceChecks currentChecks() {
		return this.checks;
	}

	/**
	 * Whether the agent is closed: by the application, or after it failed or lost consent.
	 * @return true once it holds no socket any more
	 */
	public boolean isClosed() {
		return this.state == State.CLOSED;
	}

	/**
	 * Adds a candidate the peer trickled after its description (RFC 8838): checked as soon as checking runs.
	 * Candidates beyond 64 in all, and those of a closed or connected agent, are ignored.
	 * @param candidate the peer's candidate, as {@link IceCandidate#parse} read it
	 */
	public void addRemoteCandidate(IceCandidate candidate) {
		execute(() -> {
			if (this.state == State.CHECKING) {
				this.checks.addRemote(candidate);
			}
			else if (this.state != State.CLOSED && this.state != State.CONNECTED
					&& this.earlyRemoteCandidates.size() < IceDescription.MAX_CANDIDATES) {
				this.earlyRemoteCandidates.add(candidate);
			}
		});
	}

	/**
	 * This agent's description as it is now: with trickle ICE, the credentials and the candidates gathered so
	 * far, to send before gathering ends (each later one comes through {@link IceAgentListener#candidateGathered}).
	 * @return the description; its end of candidates once gathering ended
	 */
	public IceDescription localDescription() {
		State now = this.state;
		boolean complete = now != State.NEW && now != State.GATHERING;
		return new IceDescription(this.credentials, this.trickle ? java.util.Set.of("trickle") : java.util.Set.of(),
				List.copyOf(this.localCandidates), complete, 0);
	}

	/**
	 * What the checks came to so far.
	 * @return the counts
	 */
	public IceCounters counters() {
		CompletableFuture<IceCounters> snapshot = new CompletableFuture<>();
		if (this.loop.inLoop() || this.loop.isClosed()) {
			return this.counters.snapshot();
		}
		this.loop.execute(() -> snapshot.complete(this.counters.snapshot()));
		return snapshot.join();
	}

	/** For tests: how many TCP connections the agent's candidates hold. */
	int tcpConnections() {
		CompletableFuture<Integer> count = new CompletableFuture<>();
		this.loop.execute(() -> count.complete(this.gathering.sockets().stream()
			.mapToInt(IceSocket::connectionCount)
			.sum()));
		return count.join();
	}

	/**
	 * Adds a listener.
	 * @param listener called on the loop thread
	 */
	public void addListener(IceAgentListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Closes the agent: its sockets, its port mappings, its timers; a connect under way fails with
	 * {@link IceException.Reason#CLOSED}. Returns without waiting for the loop.
	 */
	@Override
	public void close() {
		IceException closing = new IceException(IceException.Reason.CLOSED, "The ICE agent was closed");
		if (this.loop.isClosed()) {
			end(closing);
			return;
		}
		this.loop.execute(() -> {
			if (this.state != State.CLOSED) {
				notifyListeners((listener) -> listener.failed(closing));
			}
			end(closing);
			if (this.ownLoop) {
				this.loop.close();
			}
		});
	}

	/** From the connection: consent was lost. */
	void lost(IceException reason) {
		notifyListeners((listener) -> listener.failed(reason));
		end(reason);
	}

	private void gathered(IceCandidate candidate) {
		this.localCandidates.add(candidate);
		notifyListeners((listener) -> listener.candidateGathered(candidate));
	}

	private void socketAdded(IceSocket socket) {
		if (this.state == State.CHECKING) {
			this.checks.socketAdded(socket);
		}
	}

	private void gatheringEnded() {
		if (this.state != State.GATHERING && !(this.trickle && this.state == State.CHECKING)) {
			return;
		}
		if (this.state == State.GATHERING) {
			this.state = State.GATHERED;
		}
		IceDescription description = IceDescription.of(this.credentials, this.gathering.candidates());
		notifyListeners((listener) -> listener.gatheringCompleted(description));
		readOwnDescription(description);
		this.gathered.complete(description);
	}

	/**
	 * Reads this agent's own description once, as the application will read the peer's with
	 * {@link IceDescription#parse(String)}: in a fresh JVM the first reading costs some 10 ms of class loading,
	 * better spent now than after the peer's description arrived.
	 */
	private static void readOwnDescription(IceDescription description) {
		try {
			IceDescription.parse(description.toSdp());
		}
		catch (dev.natboot.core.MalformedMessageException ex) {
			throw new IllegalStateException("This agent's own description must read back", ex);
		}
	}

	private void fail(IceException failure) {
		if (this.state == State.CLOSED || this.state == State.CONNECTED) {
			return;
		}
		logger.log(Level.DEBUG, () -> "ICE agent failed: " + failure.getMessage());
		notifyListeners((listener) -> listener.failed(failure));
		end(failure);
	}

	private void end(IceException reason) {
		if (this.state == State.CLOSED) {
			return;
		}
		this.state = State.CLOSED;
		NatEventLoop.Timer timer = this.connectTimer;
		if (timer != null) {
			timer.cancel();
		}
		this.checks.stop();
		this.gathering.close();
		this.gathered.completeExceptionally(reason);
		this.connected.completeExceptionally(reason);
		IceConnection established = this.connection;
		if (established != null) {
			established.terminate(reason);
		}
	}

	private void execute(Runnable task) {
		try {
			this.loop.execute(task);
		}
		catch (RuntimeException ex) {
			IceException closed = new IceException(IceException.Reason.CLOSED, "The ICE agent's loop is closed");
			this.gathered.completeExceptionally(closed);
			this.connected.completeExceptionally(closed);
		}
	}

	private void notifyListeners(java.util.function.Consumer<IceAgentListener> call) {
		for (IceAgentListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, () -> "ICE listener " + listener.getClass().getName() + " failed: " + ex);
			}
		}
	}

	/** Where the sockets hand what they receive. */
	private final class Dispatcher implements IceSocket.Receiver {

		@Override
		public void request(IceSocket socket, dev.natboot.core.stun.StunMessage request, byte[] octets,
				InetSocketAddress source) {
			if (IceAgent.this.state == State.CLOSED) {
				return;
			}
			IceAgent.this.checks.request(socket, request, octets, source);
		}

		@Override
		public void data(IceSocket socket, byte[] data, InetSocketAddress source) {
			IceConnection established = IceAgent.this.connection;
			if (established != null && established.carries(socket, source)) {
				established.deliver(data);
				return;
			}
			// The controlled side may send before the controlling one learns its nomination succeeded.
			if (established == null && IceAgent.this.state == State.CHECKING && IceAgent.this.earlyData.size() < 32
					&& IceAgent.this.checks.pairs().stream().anyMatch((pair) -> pair.is(socket, source)
							&& pair.state == CandidatePair.State.SUCCEEDED)) {
				IceAgent.this.earlyData.add(new EarlyDatagram(socket, source, data));
				return;
			}
			IceAgent.this.counters.datagramsDropped++;
		}

		@Override
		public void connectionClosed(IceSocket socket, InetSocketAddress remote) {
			IceConnection established = IceAgent.this.connection;
			if (established != null && established.carries(socket, remote) && IceAgent.this.state == State.CONNECTED) {
				// the peer is gone for sure: no need to wait out the consent timeout
				lost(new IceException(IceException.Reason.CONSENT_LOST,
						"The peer closed the TCP connection of the selected pair"));
			}
		}

	}

	/** What the checks report. */
	private final class Events implements IceChecks.Events {

		@Override
		public void checkSucceeded(IceSelectedPair pair) {
			IceConnection established = IceAgent.this.connection;
			if (established != null) {
				established.consented();
			}
			notifyListeners((listener) -> listener.checkSucceeded(pair));
		}

		@Override
		public void roleChanged(IceRole role) {
			IceAgent.this.role = role;
			notifyListeners((listener) -> listener.roleChanged(role));
		}

		@Override
		public void selected(CandidatePair pair, IceSelectedPair selected) {
			if (IceAgent.this.state != State.CHECKING) {
				return;
			}
			IceAgent.this.state = State.CONNECTED;
			NatEventLoop.Timer timer = IceAgent.this.connectTimer;
			if (timer != null) {
				timer.cancel();
			}
			IceAgent.this.gathering.retainConnection(pair);
			IceConnection established = IceAgent.this.connection;
			if (established != null) {
				// a restart found its pair: the connection moves there
				established.moveTo(pair, selected);
				notifyListeners((listener) -> listener.connected(selected));
				IceAgent.this.connected.complete(established);
				return;
			}
			established = new IceConnection(IceAgent.this, IceAgent.this.loop, pair, selected, IceAgent.this.settings,
					IceAgent.this.counters);
			IceAgent.this.connection = established;
			for (EarlyDatagram early : IceAgent.this.earlyData) {
				if (established.carries(early.socket(), early.source())) {
					established.deliver(early.data());
				}
			}
			IceAgent.this.earlyData.clear();
			established.startConsent();
			notifyListeners((listener) -> listener.connected(selected));
			IceAgent.this.connected.complete(established);
		}

	}

	private record EarlyDatagram(IceSocket socket, InetSocketAddress source, byte[] data) {
	}

}
