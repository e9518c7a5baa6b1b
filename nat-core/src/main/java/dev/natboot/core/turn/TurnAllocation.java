package dev.natboot.core.turn;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMethod;

/**
 * A relayed address on a TURN server (RFC 8656), over UDP, TCP or TLS to the server, with long-term
 * credentials: for a UDP relay, permissions, channels and datagrams to and from peers; for a TCP relay
 * (RFC 6062), connections to peers (Connect and ConnectionBind) and from them (ConnectionAttempt). Blocking;
 * safe for several threads. Closing deletes the allocation on the server (a Refresh with lifetime 0), within
 * the request timeout, whether the server answers or not.
 */
public final class TurnAllocation implements Closeable {

	/** How long a Connect may wait for the server's answer: RFC 6062 servers try a peer for up to 30 s. */
	static final long CONNECT_TIMEOUT_MILLIS = 35_000;

	/** RFC 8656 section 9: permissions last 300 s; refreshed a minute early. */
	static final long PERMISSION_REFRESH_MILLIS = 240_000;

	/** RFC 8656 section 12: channel bindings last 600 s; refreshed a minute early. */
	static final long CHANNEL_REFRESH_MILLIS = 540_000;

	private final TurnServer server;

	private final InetSocketAddress serverAddress;

	private final TurnOptions options;

	private final LongTermAuth auth;

	private final TurnControl control;

	private final RelayTransport relayTransport;

	private final InetSocketAddress relayedAddress;

	private final @Nullable InetSocketAddress mappedAddress;

	private volatile Duration lifetime;

	private volatile long refreshedAt = System.nanoTime();

	private final Map<InetAddress, Long> permissions = new ConcurrentHashMap<>();

	private final Map<InetSocketAddress, Integer> channelsByPeer = new ConcurrentHashMap<>();

	private final Map<Integer, Long> channelBoundAt = new ConcurrentHashMap<>();

	private final AtomicInteger nextChannel = new AtomicInteger(StunAttribute.ChannelNumber.MIN);

	private final @Nullable ScheduledExecutorService refresher;

	private volatile @Nullable NatException refreshFailure;

	private volatile boolean closed;

	/** The transport of the relayed address, peer side (REQUESTED-TRANSPORT). */
	public enum RelayTransport {

		/** UDP relay (RFC 8656). */
		UDP(StunAttribute.RequestedTransport.UDP),

		/** TCP relay (RFC 6062): needs TCP or TLS to the server. */
		TCP(StunAttribute.RequestedTransport.TCP);

		private final int protocol;

		RelayTransport(int protocol) {
			this.protocol = protocol;
		}

		int protocol() {
			return this.protocol;
		}

	}

	private TurnAllocation(TurnServer server, InetSocketAddress serverAddress, TurnOptions options, LongTermAuth auth,
			TurnControl control, RelayTransport relayTransport, StunMessage granted) throws NatException {
		this.server = server;
		this.serverAddress = serverAddress;
		this.options = options;
		this.auth = auth;
		this.control = control;
		this.relayTransport = relayTransport;
		this.relayedAddress = granted.attribute(StunAttribute.XorRelayedAddress.class)
			.map(StunAttribute.XorRelayedAddress::address)
			.orElseThrow(() -> new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.TURN,
					"The TURN server granted an allocation without XOR-RELAYED-ADDRESS"));
		this.mappedAddress = granted.mappedAddress().orElse(null);
		this.lifetime = lifetimeOf(granted, Duration.ofMinutes(10));
		this.refresher = options.refreshAutomatically() ? Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "nat-turn-refresh");
			thread.setDaemon(true);
			return thread;
		}) : null;
		if (this.refresher != null) {
			long tick = Math.max(1000, Math.min(15_000, this.lifetime.toMillis() / 4));
			this.refresher.scheduleWithFixedDelay(this::refreshWhatIsDue, tick, tick, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Asks a TURN server for an allocation.
	 * @param server the server
	 * @param credentials the long-term credentials
	 * @param relayTransport UDP, or TCP (RFC 6062, with TCP or TLS to the server)
	 * @param options timeouts, lifetime, refreshing
	 * @return the allocation
	 * @throws TurnException if the server refused (401: credentials; 442: transport; 486: quota)
	 * @throws NatException if it could not be reached or did not answer
	 */
	public static TurnAllocation allocate(TurnServer server, TurnCredentials credentials, RelayTransport relayTransport,
			TurnOptions options) throws NatException {
		return allocate(server, credentials, relayTransport, StandardProtocolFamily.INET, options);
	}

	/**
	 * Asks a TURN server for an allocation with a relayed address of a family (RFC 8656 section 7.1): an IPv6
	 * relay to reach IPv6 peers, whichever family the server itself is reached over.
	 * @param server the server
	 * @param credentials the long-term credentials
	 * @param relayTransport UDP, or TCP (RFC 6062, with TCP or TLS to the server)
	 * @param relayFamily INET or INET6
	 * @param options timeouts, lifetime, refreshing
	 * @return the allocation
	 * @throws TurnException if the server refused (401: credentials; 440: no relay of that family; 442: transport;
	 * 486: quota)
	 * @throws NatException if it could not be reached or did not answer
	 */
	public static TurnAllocation allocate(TurnServer server, TurnCredentials credentials, RelayTransport relayTransport,
			StandardProtocolFamily relayFamily, TurnOptions options) throws NatException {
		if (relayFamily != StandardProtocolFamily.INET && relayFamily != StandardProtocolFamily.INET6) {
			throw new IllegalArgumentException("A relayed address is IPv4 or IPv6, not " + relayFamily);
		}
		if (relayTransport == RelayTransport.TCP && server.transport() == TurnServer.Transport.UDP) {
			throw new IllegalArgumentException("A TCP relay (RFC 6062) needs TCP or TLS to the server, not " + server);
		}
		InetSocketAddress address = server.resolve();
		TurnTransport transport = open(server, address, options);
		LongTermAuth auth = new LongTermAuth(credentials);
		TurnControl control = new TurnControl(transport, auth, (int) options.timeout().toMillis());
		try {
			List<StunAttribute> attributes = new ArrayList<>();
			attributes.add(new StunAttribute.RequestedTransport(relayTransport.protocol()));
			if (relayFamily == StandardProtocolFamily.INET6) {
				// IPv4 is the default: the attribute only when it changes something, for servers that predate it.
				attributes.add(StunAttribute.RequestedAddressFamily.of(relayFamily));
			}
			if (options.lifetime() != null) {
				attributes.add(new StunAttribute.Lifetime(options.lifetime().getSeconds()));
			}
			StunMessage granted = control.request(StunMethod.ALLOCATE, attributes);
			TurnAllocation allocation = new TurnAllocation(server, address, options, auth, control, relayTransport,
					granted);
			boolean ipv6 = allocation.relayedAddress().getAddress() instanceof java.net.Inet6Address;
			if (ipv6 != (relayFamily == StandardProtocolFamily.INET6)) {
				allocation.close();
				throw new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.TURN,
						"The TURN server " + server + " relayed on " + allocation.relayedAddress().getAddress()
							.getHostAddress() + " when asked for an " + ((ipv6) ? "IPv4" : "IPv6") + " relay");
			}
			return allocation;
		}
		catch (NatException | RuntimeException ex) {
			closeQuietly(control);
			throw ex;
		}
	}

	private static TurnTransport open(TurnServer server, InetSocketAddress address, TurnOptions options)
			throws NatException {
		try {
			return TurnTransport.open(server, address, options.timeout(), options.tls());
		}
		catch (javax.net.ssl.SSLException ex) {
			// It answered: its certificate is not trusted, or TLS failed.
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"TLS to the TURN server " + server + " failed: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"Cannot connect to the TURN server " + server + ": " + ex.getMessage(), ex);
		}
	}

	public TurnServer server() {
		return this.server;
	}

	public RelayTransport relayTransport() {
		return this.relayTransport;
	}

	/**
	 * The address the server relays from: where peers send to.
	 * @return the relayed transport address
	 */
	public InetSocketAddress relayedAddress() {
		return this.relayedAddress;
	}

	/**
	 * This client's address as the server saw it (XOR-MAPPED-ADDRESS of the Allocate answer), if it said.
	 * @return the server-reflexive address
	 */
	public Optional<InetSocketAddress> mappedAddress() {
		return Optional.ofNullable(this.mappedAddress);
	}

	/**
	 * The lifetime the server granted at the last Allocate or Refresh.
	 * @return the lifetime
	 */
	public Duration lifetime() {
		return this.lifetime;
	}

	/**
	 * Extends the allocation by the lifetime asked for at allocation (or the server's default).
	 * @throws NatException if the server refused (437: the allocation is gone) or did not answer
	 */
	public void refresh() throws NatException {
		List<StunAttribute> attributes = (this.options.lifetime() != null)
				? List.of(new StunAttribute.Lifetime(this.options.lifetime().getSeconds())) : List.of();
		StunMessage answer = this.control.request(StunMethod.REFRESH, attributes);
		this.lifetime = lifetimeOf(answer, this.lifetime);
		this.refreshedAt = System.nanoTime();
	}

	/**
	 * Lets peers at these addresses send to the relayed address (RFC 8656 section 9; ports do not count). A UDP
	 * relay drops what comes from anyone else; a TCP relay accepts connections only from them.
	 * @param peers the peers' addresses
	 * @throws TurnException if the server refused (403: a peer it will not relay to)
	 * @throws NatException if it did not answer
	 */
	public void createPermission(InetAddress... peers) throws NatException {
		if (peers.length == 0) {
			return;
		}
		List<StunAttribute> attributes = new ArrayList<>();
		for (InetAddress peer : peers) {
			attributes.add(new StunAttribute.XorPeerAddress(new InetSocketAddress(peer, 0)));
		}
		this.control.request(StunMethod.CREATE_PERMISSION, attributes);
		long now = System.nanoTime();
		for (InetAddress peer : peers) {
			this.permissions.put(peer, now);
		}
	}

	/**
	 * Binds a channel to a peer (and installs its permission), so that data to and from it travels as
	 * ChannelData; done once per peer.
	 * @param peer the peer
	 * @return the channel number
	 * @throws NatException if the server refused or did not answer, or every channel is taken
	 */
	public int bindChannel(InetSocketAddress peer) throws NatException {
		requireRelay(RelayTransport.UDP, "channels");
		Integer existing = this.channelsByPeer.get(peer);
		if (existing != null) {
			return existing;
		}
		int channel = this.nextChannel.getAndIncrement();
		if (channel > StunAttribute.ChannelNumber.MAX) {
			throw new NatException(NatErrorKind.NO_RESOURCES, NatProtocol.TURN, "Every TURN channel is bound");
		}
		bind(channel, peer);
		this.channelsByPeer.put(peer, channel);
		this.control.channels.put(channel, peer);
		return channel;
	}

	private void bind(int channel, InetSocketAddress peer) throws NatException {
		this.control.request(StunMethod.CHANNEL_BIND,
				List.of(new StunAttribute.ChannelNumber(channel), new StunAttribute.XorPeerAddress(peer)));
		long now = System.nanoTime();
		this.channelBoundAt.put(channel, now);
		this.permissions.put(peer.getAddress(), now);
	}

	/**
	 * Sends a datagram to a peer through a UDP relay: as ChannelData if a channel is bound to it, else in a
	 * Send indication. The peer needs a permission (or a channel).
	 * @param peer the peer
	 * @param data the payload
	 * @throws NatException if sending failed
	 */
	public void send(InetSocketAddress peer, byte[] data) throws NatException {
		requireRelay(RelayTransport.UDP, "datagrams");
		Integer channel = this.channelsByPeer.get(peer);
		if (channel != null) {
			this.control.sendFrame(new ChannelData(channel, data).encode(this.control.transport().stream()));
		}
		else {
			this.control.indicate(StunMethod.SEND,
					List.of(new StunAttribute.XorPeerAddress(peer), new StunAttribute.Data(data)));
		}
	}

	/**
	 * The next datagram a UDP relay received from a peer with a permission.
	 * @param timeout how long to wait
	 * @return the datagram, empty if none came in time
	 * @throws NatException if the connection to the server failed
	 */
	public Optional<TurnDatagram> receive(Duration timeout) throws NatException {
		return this.control.next(TurnDatagram.class, timeout.toMillis());
	}

	/**
	 * Asks a TCP relay to connect to a peer (RFC 6062 section 4.3); no permission needed. Waits up to 35 s (or
	 * the request timeout if longer): the server answers when the peer accepted or when it gave up.
	 * @param peer the peer
	 * @return the connection's id, for {@link #openConnection(int)} within 30 seconds
	 * @throws TurnException 447 if the peer did not accept the connection, 446 if one exists already
	 * @throws NatException if the server did not answer
	 */
	public int connect(InetSocketAddress peer) throws NatException {
		requireRelay(RelayTransport.TCP, "connections");
		// The server answers once the peer accepted or it gave up: coturn gives a silent peer 30 s.
		int timeout = (int) Math.max(this.options.timeout().toMillis(), CONNECT_TIMEOUT_MILLIS);
		StunMessage answer = this.control.request(StunMethod.CONNECT, List.of(new StunAttribute.XorPeerAddress(peer)),
				timeout);
		return answer.attribute(StunAttribute.ConnectionId.class)
			.map(StunAttribute.ConnectionId::id)
			.orElseThrow(() -> new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.TURN,
					"The TURN server's Connect answer has no CONNECTION-ID"));
	}

	/**
	 * Connects to a peer through a TCP relay: {@link #connect} then {@link #openConnection}.
	 * @param peer the peer
	 * @return the connection
	 * @throws NatException as they do
	 */
	public TurnPeerConnection connectTo(InetSocketAddress peer) throws NatException {
		return openConnection(connect(peer), peer);
	}

	/**
	 * The next peer that connected to a TCP relay's address (it needs a permission).
	 * @param timeout how long to wait
	 * @return the attempt, empty if none came in time
	 * @throws NatException if the connection to the server failed
	 */
	public Optional<TurnConnectionAttempt> awaitConnectionAttempt(Duration timeout) throws NatException {
		return this.control.next(TurnConnectionAttempt.class, timeout.toMillis());
	}

	/**
	 * Opens the data connection for a connection the server named (RFC 6062 section 4.4): a new connection to the
	 * server, a ConnectionBind, then the peer's octets.
	 * @param connectionId from {@link #connect} or a {@link TurnConnectionAttempt}
	 * @return the connection
	 * @throws NatException if the server refused or did not answer
	 */
	public TurnPeerConnection openConnection(int connectionId) throws NatException {
		return openConnection(connectionId, this.relayedAddress);
	}

	private TurnPeerConnection openConnection(int connectionId, InetSocketAddress peer) throws NatException {
		requireRelay(RelayTransport.TCP, "connections");
		TurnTransport.Stream data = (TurnTransport.Stream) open(this.server, this.serverAddress, this.options);
		try {
			TurnControl binding = new TurnControl(data, this.auth, (int) this.options.timeout().toMillis());
			binding.request(StunMethod.CONNECTION_BIND, List.of(new StunAttribute.ConnectionId(connectionId)));
			return new TurnPeerConnection(data.socket(), data.release(), connectionId, peer);
		}
		catch (NatException | IOException | RuntimeException ex) {
			closeQuietly(data);
			if (ex instanceof NatException nat) {
				throw nat;
			}
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"The TURN data connection failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Why the last automatic refresh failed, if it did; cleared by the next one that works.
	 * @return the failure
	 */
	public Optional<NatException> refreshFailure() {
		return Optional.ofNullable(this.refreshFailure);
	}

	/**
	 * Datagrams and connection attempts dropped because nobody read them (more than 256 queued).
	 * @return the count
	 */
	public long droppedIncoming() {
		return this.control.dropped.get();
	}

	private void refreshWhatIsDue() {
		if (this.closed) {
			return;
		}
		try {
			long now = System.nanoTime();
			long lifetimeMillis = this.lifetime.toMillis();
			long early = Math.min(60_000, lifetimeMillis / 4);
			if ((now - this.refreshedAt) / 1_000_000L >= lifetimeMillis - early) {
				refresh();
			}
			for (Map.Entry<InetSocketAddress, Integer> channel : this.channelsByPeer.entrySet()) {
				Long boundAt = this.channelBoundAt.get(channel.getValue());
				if (boundAt != null && (now - boundAt) / 1_000_000L >= CHANNEL_REFRESH_MILLIS) {
					bind(channel.getValue(), channel.getKey());
				}
			}
			List<InetAddress> due = new ArrayList<>();
			this.permissions.forEach((peer, at) -> {
				if ((now - at) / 1_000_000L >= PERMISSION_REFRESH_MILLIS) {
					due.add(peer);
				}
			});
			createPermission(due.toArray(InetAddress[]::new));
			this.refreshFailure = null;
		}
		catch (NatException ex) {
			this.refreshFailure = ex;
		}
		catch (RuntimeException ex) {
			this.refreshFailure = new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.TURN,
					NatException.NO_ROUTER_CODE, "Refreshing the TURN allocation failed: " + ex, ex);
		}
	}

	private void requireRelay(RelayTransport wanted, String what) {
		if (this.relayTransport != wanted) {
			throw new IllegalStateException("A " + this.relayTransport + " allocation has no " + what);
		}
	}

	private static Duration lifetimeOf(StunMessage answer, Duration otherwise) {
		return answer.attribute(StunAttribute.Lifetime.class)
			.map((lifetime) -> Duration.ofSeconds(lifetime.seconds()))
			.orElse(otherwise);
	}

	/**
	 * Deletes the allocation on the server (Refresh, lifetime 0) and closes the connection, waiting at most the
	 * request timeout for the server's answer.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.refresher != null) {
			this.refresher.shutdownNow();
		}
		try {
			this.control.request(StunMethod.REFRESH, List.of(new StunAttribute.Lifetime(0)));
		}
		catch (NatException ex) {
			// Gone already, or the server vanished: the allocation expires on its own.
		}
		closeQuietly(this.control);
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Nothing left to release.
		}
	}

	@Override
	public String toString() {
		return "TurnAllocation[" + this.relayTransport + " relay " + this.relayedAddress + " on " + this.server + "]";
	}

}
