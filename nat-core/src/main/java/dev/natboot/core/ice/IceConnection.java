package dev.natboot.core.ice;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Datagrams to and from the peer over the pair an {@link IceAgent} selected (after an ICE restart, the pair the
 * restart selected). Only the peer's address on that pair
 * is heard; anything else arriving on the socket is dropped. Consent to send is refreshed as RFC 7675 asks: a
 * check every few seconds, and when the peer answers none for the consent timeout, the connection closes with
 * {@link IceException.Reason#CONSENT_LOST} and sends no more. Thread-safe.
 */
public final class IceConnection implements AutoCloseable {

	/** Datagrams kept for {@link #receive(Duration)}; more are dropped and counted while nobody reads. */
	public static final int RECEIVE_QUEUE_CAPACITY = 1024;

	private final IceAgent agent;

	private final NatEventLoop loop;

	private volatile CandidatePair pair;

	private volatile IceSelectedPair selected;

	private final IceSettings settings;

	private final IceCounters.Mutable counters;

	private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>(RECEIVE_QUEUE_CAPACITY);

	/** The application's datagrams dropped for a full queue, for a stream reader that must not skip any. */
	private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

	private volatile @Nullable Consumer<byte[]> receiver;

	private final CompletableFuture<IceException> closed = new CompletableFuture<>();

	private long consentedNanos;

	private NatEventLoop.@Nullable Timer consentTimer;

	IceConnection(IceAgent agent, NatEventLoop loop, CandidatePair pair, IceSelectedPair selected, IceSettings settings,
			IceCounters.Mutable counters) {
		this.agent = agent;
		this.loop = loop;
		this.pair = pair;
		this.selected = selected;
		this.settings = settings;
		this.counters = counters;
	}

	/**
	 * The selected pair: its candidates and the round trip its check measured.
	 * @return the pair
	 */
	public IceSelectedPair selectedPair() {
		return this.selected;
	}

	/**
	 * The peer's address datagrams go to.
	 * @return its address on the selected pair
	 */
	public InetSocketAddress remoteAddress() {
		return this.pair.remoteAddress;
	}

	/**
	 * The local socket address datagrams leave from.
	 * @return the base of the selected pair's local candidate; for an active TCP candidate its address and port 9,
	 *     as RFC 6544 writes it (the connection's port, as the peer saw it, is in {@code selectedPair().local()})
	 */
	public InetSocketAddress localAddress() {
		return this.pair.socket.base();
	}

	/**
	 * Sends a datagram to the peer. Like any UDP datagram it may be lost; one that starts as a STUN message would
	 * (two zero bits, then the magic cookie) is read as STUN by the peer, so frame the application's data to
	 * start otherwise. On a TCP pair it goes as one RFC 4571 frame, in order and not lost while the connection
	 * lives; a full send queue (1 MiB) refuses it.
	 * @param data at most 65,507 octets over UDP, 65,535 over TCP
	 * @return false if the connection is closed or the socket refused it
	 */
	public boolean send(byte[] data) {
		if (this.closed.isDone()) {
			return false;
		}
		return this.pair.socket.send(data, this.pair.remoteAddress);
	}

	/**
	 * Waits for the peer's next datagram, unless a handler set with {@link #onReceive(Consumer)} takes them.
	 * @param timeout how long to wait
	 * @return the datagram, or {@code null} if none came in time (a closed connection receives none: see
	 *     {@link #closed()})
	 * @throws InterruptedException if the thread was interrupted while waiting
	 */
	public byte @Nullable [] receive(Duration timeout) throws InterruptedException {
		return this.received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Hands every datagram from the peer to a handler, on the agent's loop thread, those already queued first.
	 * Keep it short: the loop serves every agent and mapping of the process.
	 * @param handler called with each datagram
	 */
	public void onReceive(Consumer<byte[]> handler) {
		this.loop.execute(() -> {
			this.receiver = handler;
			byte[] queued;
			while ((queued = this.received.poll()) != null) {
				handler.accept(queued);
			}
		});
	}

	/**
	 * The peer's datagrams as a stream of octets, on a TCP pair (ICE-TCP): reading takes them, so use it instead
	 * of {@link #receive} and {@link #onReceive}. It ends (-1) once the connection closes; a reader that falls
	 * more than {@value #RECEIVE_QUEUE_CAPACITY} datagrams behind fails with an IOException.
	 * @return the stream
	 * @throws IllegalStateException on a UDP pair, whose datagrams may be lost
	 */
	public java.io.InputStream inputStream() {
		IceStreams.requireTcp(this);
		return new IceStreams.Input(this);
	}

	/**
	 * A stream of octets to the peer, on a TCP pair: each write goes as frames of at most 65,535 octets, waiting
	 * while the send queue is full; it fails with an IOException once the connection is closed.
	 * @return the stream
	 * @throws IllegalStateException on a UDP pair
	 */
	public java.io.OutputStream outputStream() {
		IceStreams.requireTcp(this);
		return new IceStreams.Output(this);
	}

	long droppedDatagrams() {
		return this.dropped.get();
	}

	/**
	 * Completes when the connection closes: consent lost, or closed by the application.
	 * @return the reason
	 */
	public CompletableFuture<IceException> closed() {
		return this.closed.thenApply((reason) -> reason);
	}

	public boolean isOpen() {
		return !this.closed.isDone();
	}

	/**
	 * Closes the connection and its agent: the sockets, any port mapping, every timer.
	 */
	@Override
	public void close() {
		this.agent.close();
	}

	/** From the loop thread: a datagram from the selected pair's peer. */
	void deliver(byte[] data) {
		if (this.closed.isDone()) {
			return;
		}
		Consumer<byte[]> handler = this.receiver;
		if (handler != null) {
			handler.accept(data);
		}
		else if (!this.received.offer(data)) {
			this.counters.datagramsDropped++;
			this.dropped.incrementAndGet();
		}
	}

	void startConsent() {
		this.consentedNanos = System.nanoTime();
		scheduleConsent();
	}

	/** From the loop thread: the peer answered a check on this pair, which is consent too. */
	void consented() {
		this.consentedNanos = System.nanoTime();
	}

	/** From the loop thread: an ICE restart selected another pair, which the datagrams take from now on. */
	void moveTo(CandidatePair pair, IceSelectedPair selected) {
		this.pair = pair;
		this.selected = selected;
		this.consentedNanos = System.nanoTime();
	}

	boolean carries(IceSocket socket, InetSocketAddress source) {
		return this.pair.is(socket, source);
	}

	void terminate(IceException reason) {
		NatEventLoop.Timer timer = this.consentTimer;
		if (timer != null) {
			timer.cancel();
		}
		this.closed.complete(reason);
	}

	private void scheduleConsent() {
		long interval = this.settings.consentInterval().toNanos();
		long next = (long) (interval * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
		this.consentTimer = this.loop.scheduleNanos(this::checkConsent, next);
	}

	private void checkConsent() {
		if (this.closed.isDone()) {
			return;
		}
		if (System.nanoTime() - this.consentedNanos > this.settings.consentTimeout().toNanos()) {
			this.agent.lost(new IceException(IceException.Reason.CONSENT_LOST, "The peer at " + this.pair.remoteAddress
					+ " answered no consent check for " + this.settings.consentTimeout().toSeconds() + " s"));
			return;
		}
		this.agent.currentChecks().consentCheck(this.pair, this.settings.consentInterval(), this::consented);
		scheduleConsent();
	}

}
