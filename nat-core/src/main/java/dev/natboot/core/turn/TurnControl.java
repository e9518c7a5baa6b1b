package dev.natboot.core.turn;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;

/**
 * One connection to a TURN server and its transactions: requests signed with the long-term credentials once
 * the server has named its realm and nonce (a 401 to the first request), a new nonce taken on 438, UDP
 * retransmissions, answers matched by transaction id and, when signed requests were sent, accepted only with a
 * valid MESSAGE-INTEGRITY (a forged success answer is dropped). What the server relays meanwhile (Data
 * indications, ChannelData, ConnectionAttempt indications) is queued for the allocation, within a bound.
 */
final class TurnControl implements Closeable {

	/** Queued relayed datagrams and connection attempts: more are dropped and counted. */
	static final int MAX_QUEUED = 256;

	/** Nonces and retries one request may go through before it gives up (a server that keeps saying 438). */
	private static final int MAX_AUTH_ROUNDS = 4;

	private static final int FIRST_RETRANSMISSION_MILLIS = 250;

	private final TurnTransport transport;

	private final LongTermAuth auth;

	private final int timeoutMillis;

	private final ReentrantLock lock = new ReentrantLock();

	/** The longest a reader holds the lock while it waits for a frame: what a request may wait for it. */
	private static final int READ_SLICE_MILLIS = 10;

	private final ArrayDeque<Object> incoming = new ArrayDeque<>();

	/** Channel number to peer, for ChannelData from the server. */
	final Map<Integer, InetSocketAddress> channels = new ConcurrentHashMap<>();

	final AtomicLong dropped = new AtomicLong();

	final AtomicLong malformed = new AtomicLong();

	TurnControl(TurnTransport transport, LongTermAuth auth, int timeoutMillis) {
		this.transport = transport;
		this.auth = auth;
		this.timeoutMillis = timeoutMillis;
	}

	TurnTransport transport() {
		return this.transport;
	}

	/**
	 * Sends a request and waits for its success answer, through the server's authentication rounds.
	 * @param method the method
	 * @param attributes its attributes, without the credentials' ones
	 * @return the success answer
	 * @throws TurnException if the server answered with an error
	 * @throws NatException if it did not answer in time, or the connection failed
	 */
	StunMessage request(StunMethod method, List<StunAttribute> attributes) throws NatException {
		return request(method, attributes, this.timeoutMillis);
	}

	/** {@link #request(StunMethod, List)} with a timeout of its own, for requests the server may take long on. */
	StunMessage request(StunMethod method, List<StunAttribute> attributes, int timeoutMillis) throws NatException {
		this.lock.lock();
		try {
			for (int round = 0; round < MAX_AUTH_ROUNDS; round++) {
				List<StunAttribute> all = new ArrayList<>(attributes);
				all.addAll(this.auth.attributes());
				StunMessage request = new StunMessage(StunMessageClass.REQUEST, method, StunMessage.newTransactionId(),
						all, true);
				@Nullable StunCredentials key = this.auth.key();
				StunMessage response = exchange(request, StunCodec.encode(request, key), key, timeoutMillis);
				if (response.messageClass() == StunMessageClass.SUCCESS_RESPONSE) {
					return response;
				}
				StunAttribute.ErrorCode error = response.attribute(StunAttribute.ErrorCode.class)
					.orElseThrow(() -> new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.TURN,
							"The TURN server's error answer to " + method + " has no ERROR-CODE"));
				if (error.code() == StunAttribute.ErrorCode.UNAUTHORIZED && key == null) {
					this.auth.challenged(response);
					continue;
				}
				if (error.code() == StunAttribute.ErrorCode.STALE_NONCE) {
					this.auth.challenged(response);
					continue;
				}
				if (error.code() == StunAttribute.ErrorCode.UNAUTHORIZED) {
					throw new TurnException(error.code(), "The TURN server refused the credentials of user '"
							+ this.auth.username() + "' (401 " + printable(error.reason()) + ")");
				}
				throw new TurnException(error.code(),
						"TURN " + method + " failed: " + error.code() + " " + printable(error.reason()));
			}
			throw new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.TURN, "The TURN server asked for "
					+ "credentials or a new nonce " + MAX_AUTH_ROUNDS + " times in a row for one " + method);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The server's reason phrase as it may go into a log line: no line breaks or other controls. */
	static String printable(String reason) {
		StringBuilder text = new StringBuilder(reason.length());
		reason.codePoints().forEach((c) -> text.appendCodePoint(Character.isISOControl(c) ? '?' : c));
		return text.toString();
	}

	/** Sends an indication (Send): no answer, no credentials (RFC 8656 section 11). */
	void indicate(StunMethod method, List<StunAttribute> attributes) throws NatException {
		StunMessage indication = new StunMessage(StunMessageClass.INDICATION, method, StunMessage.newTransactionId(),
				attributes, true);
		sendFrame(StunCodec.encode(indication));
	}

	void sendFrame(byte[] frame) throws NatException {
		try {
			this.transport.send(frame);
		}
		catch (IOException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"Sending to the TURN server failed: " + ex.getMessage(), ex);
		}
	}

	private StunMessage exchange(StunMessage request, byte[] encoded, @Nullable StunCredentials key,
			int timeoutMillis) throws NatException {
		long start = System.nanoTime();
		long deadline = start + timeoutMillis * 1_000_000L;
		int retransmission = FIRST_RETRANSMISSION_MILLIS;
		long nextSend = start;
		while (true) {
			long now = System.nanoTime();
			if (now - deadline >= 0) {
				throw new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.TURN, "The TURN server did not answer "
						+ request.method() + " within " + timeoutMillis + " ms"
						+ (this.transport.sawPortUnreachable() ? " (ICMP port unreachable: nothing listens there)" : ""));
			}
			if (now - nextSend >= 0) {
				sendFrame(encoded);
				// Over TCP and TLS the transport retransmits; over UDP, RFC 8489 section 6.2.1's doubling.
				nextSend = this.transport.stream() ? Long.MAX_VALUE / 2 + now : now + retransmission * 1_000_000L;
				retransmission *= 2;
			}
			long wait = Math.max(1, (Math.min(deadline, nextSend) - now) / 1_000_000L);
			byte[] frame = receiveFrame((int) Math.min(wait, timeoutMillis));
			if (frame == null || !StunCodec.looksLikeStun(frame)) {
				continue;
			}
			StunMessage message;
			try {
				message = StunCodec.decode(frame);
			}
			catch (MalformedMessageException ex) {
				this.malformed.incrementAndGet();
				continue;
			}
			if (!message.messageClass().isResponse() || !message.hasTransactionId(request.transactionId())
					|| message.method() != request.method()) {
				continue;
			}
			if (key != null && message.messageClass() == StunMessageClass.SUCCESS_RESPONSE
					&& StunCodec.checkIntegrity(frame, key) != StunCodec.IntegrityCheck.VALID) {
				// Not from the server that holds the key: keep waiting for the real answer.
				this.malformed.incrementAndGet();
				continue;
			}
			return message;
		}
	}

	/**
	 * Waits for one frame; relayed data and connection attempts go to the queue, other frames are returned.
	 * @return a STUN frame that is no indication, or {@code null} if none came in time
	 */
	private byte @Nullable [] receiveFrame(int timeoutMillis) throws NatException {
		byte[] frame;
		try {
			frame = this.transport.receive(timeoutMillis);
		}
		catch (MalformedMessageException ex) {
			throw new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"The TURN server's stream holds something that is neither STUN nor ChannelData", ex);
		}
		catch (IOException ex) {
			throw new NatException(NatErrorKind.IO_ERROR, NatProtocol.TURN, NatException.NO_ROUTER_CODE,
					"The connection to the TURN server failed: " + ex.getMessage(), ex);
		}
		if (frame == null) {
			return null;
		}
		if (ChannelData.looksLikeChannelData(frame)) {
			try {
				ChannelData data = ChannelData.decode(frame);
				InetSocketAddress peer = this.channels.get(data.channel());
				if (peer != null) {
					enqueue(new TurnDatagram(peer, data.data()));
				}
			}
			catch (MalformedMessageException ex) {
				this.malformed.incrementAndGet();
			}
			return null;
		}
		if (!StunCodec.looksLikeStun(frame)) {
			this.malformed.incrementAndGet();
			return null;
		}
		StunMessage message;
		try {
			message = StunCodec.decode(frame);
		}
		catch (MalformedMessageException ex) {
			this.malformed.incrementAndGet();
			return null;
		}
		if (message.messageClass() != StunMessageClass.INDICATION) {
			return frame;
		}
		Optional<StunAttribute.XorPeerAddress> peer = message.attribute(StunAttribute.XorPeerAddress.class);
		if (message.method() == StunMethod.DATA && peer.isPresent()) {
			message.attribute(StunAttribute.Data.class)
				.ifPresent((data) -> enqueue(new TurnDatagram(peer.get().address(), data.data())));
		}
		else if (message.method() == StunMethod.CONNECTION_ATTEMPT && peer.isPresent()) {
			message.attribute(StunAttribute.ConnectionId.class)
				.ifPresent((id) -> enqueue(new TurnConnectionAttempt(id.id(), peer.get().address())));
		}
		return null;
	}

	private void enqueue(Object item) {
		synchronized (this.incoming) {
			if (this.incoming.size() >= MAX_QUEUED) {
				this.incoming.pollFirst();
				this.dropped.incrementAndGet();
			}
			this.incoming.addLast(item);
		}
	}

	/**
	 * The next queued item of a type, reading from the server while none is queued.
	 * @param type {@link TurnDatagram} or {@link TurnConnectionAttempt}
	 * @param timeoutMillis how long to wait
	 * @return the item, empty if none came in time
	 */
	<T> Optional<T> next(Class<T> type, long timeoutMillis) throws NatException {
		long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
		while (true) {
			synchronized (this.incoming) {
				for (var items = this.incoming.iterator(); items.hasNext();) {
					Object item = items.next();
					if (type.isInstance(item)) {
						items.remove();
						return Optional.of(type.cast(item));
					}
				}
			}
			long left = (deadline - System.nanoTime()) / 1_000_000L;
			if (left <= 0) {
				return Optional.empty();
			}
			// Short slices, so that a request on another thread (a permission, a refresh) is not held up by a
			// waiting reader; and a thread queued for the lock goes first: tryLock barges, and a reader looping on
			// it would keep a request waiting slice after slice.
			if (!this.lock.hasQueuedThreads() && this.lock.tryLock()) {
				try {
					receiveFrame((int) Math.min(left, READ_SLICE_MILLIS));
				}
				finally {
					this.lock.unlock();
				}
			}
			else {
				Thread.onSpinWait();
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return Optional.empty();
				}
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.transport.close();
	}

}
