package dev.natboot.core.turn;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;

/**
 * A TURN server on 127.0.0.1 (UDP and TCP) that speaks the long-term credential mechanism as coturn does (401
 * with REALM and NONCE, signed answers, 438 on a stale nonce) and can misbehave: stale nonces on demand, a
 * forged unsigned success answer ahead of the real one, silence, answers written one octet at a time. Relayed
 * data is echoed: a Send indication or ChannelData comes back from the same peer with "echo:" in front.
 */
public final class FakeTurnServer implements AutoCloseable {

	public static final String USER = "alice";

	public static final String PASSWORD = "s3cret-p4ss";

	static final String REALM = "fake.example";

	static final InetSocketAddress RELAYED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 49999);

	static final InetSocketAddress RELAYED_IPV6 = new InetSocketAddress("::1", 49999);

	/** Answer an allocation asking for an IPv6 relay with 440 Address Family not Supported. */
	public volatile boolean refusesIpv6;

	/** Relay on IPv4 whatever family the allocation asks for. */
	volatile boolean ignoresAddressFamily;

	private final DatagramSocket udp;

	private final ServerSocket tcp;

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final List<Socket> connections = new CopyOnWriteArrayList<>();

	final List<StunMessage> requests = new CopyOnWriteArrayList<>();

	final List<byte[]> rawRequests = new CopyOnWriteArrayList<>();

	private final AtomicInteger nonceCounter = new AtomicInteger();

	private volatile String nonce = "nonce-0";

	/** Answer the next N signed requests with 438 and a new nonce. */
	final AtomicInteger staleNext = new AtomicInteger();

	/** Before each signed success answer, send an unsigned one with another relayed address. */
	volatile boolean forgeUnsignedSuccess;

	/** Whether the played peer answers natboot's UDP probes (else it drops them). */
	public volatile boolean peerAnswersProbes;

	/** The error code to answer Connect with, 0 to accept it. */
	public volatile int connectError;

	/** Frames received, answered or not. */
	public final AtomicInteger received = new AtomicInteger();

	/** Answer nothing. */
	volatile boolean silent;

	/** Over TCP, write every answer one octet at a time. */
	volatile boolean trickle;

	/** Act as an RFC 8489 server: a nonce with the cookie, and PASSWORD-ALGORITHMS offering SHA-256 and MD5. */
	volatile boolean rfc8489;

	final Map<Integer, InetSocketAddress> channels = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	public FakeTurnServer() throws IOException {
		this.udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		this.tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		start("fake-turn-udp", this::serveUdp);
		start("fake-turn-tcp", this::acceptTcp);
	}

	public TurnServer udpServer() {
		return new TurnServer("127.0.0.1", this.udp.getLocalPort(), TurnServer.Transport.UDP);
	}

	public TurnServer tcpServer() {
		return new TurnServer("127.0.0.1", this.tcp.getLocalPort(), TurnServer.Transport.TCP);
	}

	List<StunMessage> requests(StunMethod method) {
		return this.requests.stream().filter((request) -> request.method() == method).toList();
	}

	private void start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private void serveUdp() {
		byte[] buffer = new byte[70_000];
		while (!this.closed.get()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.udp.receive(packet);
			}
			catch (IOException ex) {
				return;
			}
			InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
			byte[] data = java.util.Arrays.copyOf(buffer, packet.getLength());
			handle(data, from, false, (answer) -> {
				try {
					this.udp.send(new DatagramPacket(answer, answer.length, from));
				}
				catch (IOException ex) {
					// the client went away
				}
			});
		}
	}

	private void acceptTcp() {
		while (!this.closed.get()) {
			Socket socket;
			try {
				socket = this.tcp.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.connections.add(socket);
			start("fake-turn-tcp-connection", () -> serveTcp(socket));
		}
	}

	private void serveTcp(Socket socket) {
		try (socket) {
			TurnTransport.Stream frames = new TurnTransport.Stream(socket);
			OutputStream output = socket.getOutputStream();
			InetSocketAddress from = (InetSocketAddress) socket.getRemoteSocketAddress();
			while (!this.closed.get()) {
				byte[] frame = frames.receive(60_000);
				if (frame == null) {
					continue;
				}
				handle(frame, from, true, (answer) -> {
					try {
						if (this.trickle) {
							for (byte octet : answer) {
								output.write(octet);
								output.flush();
							}
						}
						else {
							output.write(answer);
							output.flush();
						}
					}
					catch (IOException ex) {
						// the client went away
					}
				});
			}
		}
		catch (IOException | MalformedMessageException ex) {
			// connection over
		}
	}

	private void handle(byte[] data, InetSocketAddress from, boolean stream, Consumer<byte[]> reply) {
		this.received.incrementAndGet();
		if (this.silent) {
			return;
		}
		if (ChannelData.looksLikeChannelData(data)) {
			try {
				ChannelData in = ChannelData.decode(data);
				byte[] echoed = ("echo:" + new String(in.data(), java.nio.charset.StandardCharsets.UTF_8))
					.getBytes(java.nio.charset.StandardCharsets.UTF_8);
				reply.accept(new ChannelData(in.channel(), echoed).encode(stream));
			}
			catch (MalformedMessageException ex) {
				// dropped
			}
			return;
		}
		StunMessage request;
		try {
			request = StunCodec.decode(data);
		}
		catch (MalformedMessageException ex) {
			return;
		}
		this.requests.add(request);
		this.rawRequests.add(data);
		if (request.messageClass() == StunMessageClass.INDICATION) {
			if (request.method() == StunMethod.SEND) {
				InetSocketAddress peer = request.attribute(StunAttribute.XorPeerAddress.class).orElseThrow().address();
				byte[] payload = request.attribute(StunAttribute.Data.class).orElseThrow().data();
				byte[] echoed = ("echo:" + new String(payload, java.nio.charset.StandardCharsets.UTF_8))
					.getBytes(java.nio.charset.StandardCharsets.UTF_8);
				if (dev.natboot.core.reachability.UdpProbe.isProbe(payload, 0, payload.length)) {
					if (!this.peerAnswersProbes) {
						return;
					}
					echoed = dev.natboot.core.reachability.UdpProbe.answer(payload, 0, payload.length);
				}
				reply.accept(StunCodec.encode(new StunMessage(StunMessageClass.INDICATION, StunMethod.DATA,
						StunMessage.newTransactionId(),
						List.of(new StunAttribute.XorPeerAddress(peer), new StunAttribute.Data(echoed)), true)));
			}
			return;
		}
		if (request.attribute(StunAttribute.MessageIntegrity.class).isEmpty()
				&& request.attribute(StunAttribute.MessageIntegritySha256.class).isEmpty()) {
			reply.accept(challenge(request, StunAttribute.ErrorCode.UNAUTHORIZED, "Unauthorized"));
			return;
		}
		int algorithm = request.attribute(StunAttribute.PasswordAlgorithm.class)
			.map(StunAttribute.PasswordAlgorithm::algorithm)
			.orElse(StunAttribute.PasswordAlgorithm.MD5);
		StunCredentials.Integrity integrity = request.attribute(StunAttribute.MessageIntegritySha256.class).isPresent()
				? StunCredentials.Integrity.SHA256 : StunCredentials.Integrity.SHA1;
		StunCredentials key = StunCredentials.longTerm(USER, REALM, PASSWORD, algorithm, integrity);
		if (StunCodec.checkIntegrity(data, key) != StunCodec.IntegrityCheck.VALID) {
			reply.accept(challenge(request, StunAttribute.ErrorCode.UNAUTHORIZED, "Unauthorized"));
			return;
		}
		String sentNonce = request.attribute(StunAttribute.Nonce.class).map(StunAttribute.Nonce::nonce).orElse("");
		if (this.staleNext.getAndUpdate((n) -> Math.max(0, n - 1)) > 0 || !sentNonce.equals(this.nonce)) {
			this.nonce = (this.rfc8489 ? "obMatJos2AAAB" : "nonce-") + this.nonceCounter.incrementAndGet();
			reply.accept(challenge(request, StunAttribute.ErrorCode.STALE_NONCE, "Stale Nonce"));
			return;
		}
		if (request.method() == StunMethod.CONNECT && this.connectError != 0) {
			reply.accept(StunCodec.encode(new StunMessage(StunMessageClass.ERROR_RESPONSE, request.method(),
					request.transactionId(), List.of(new StunAttribute.ErrorCode(this.connectError, "Connection Timeout or Failure")),
					true), key));
			return;
		}
		List<StunAttribute> attributes = new ArrayList<>();
		switch (request.method()) {
			case ALLOCATE -> {
				boolean ipv6 = request.attribute(StunAttribute.RequestedAddressFamily.class)
					.filter((family) -> family.family() == StunAttribute.RequestedAddressFamily.IPV6)
					.isPresent();
				if (ipv6 && this.refusesIpv6) {
					reply.accept(StunCodec.encode(new StunMessage(StunMessageClass.ERROR_RESPONSE, request.method(),
							request.transactionId(),
							List.of(new StunAttribute.ErrorCode(440, "Address Family not Supported")), true), key));
					return;
				}
				attributes.add(new StunAttribute.XorRelayedAddress(
						(ipv6 && !this.ignoresAddressFamily) ? RELAYED_IPV6 : RELAYED));
				attributes.add(new StunAttribute.XorMappedAddress(from));
				attributes.add(new StunAttribute.Lifetime(request.attribute(StunAttribute.Lifetime.class)
					.map(StunAttribute.Lifetime::seconds)
					.orElse(600L)));
			}
			case REFRESH -> attributes.add(new StunAttribute.Lifetime(request.attribute(StunAttribute.Lifetime.class)
				.map(StunAttribute.Lifetime::seconds)
				.orElse(600L)));
			case CHANNEL_BIND -> this.channels.put(request.attribute(StunAttribute.ChannelNumber.class).orElseThrow().number(),
					request.attribute(StunAttribute.XorPeerAddress.class).orElseThrow().address());
			case CONNECT -> attributes.add(new StunAttribute.ConnectionId(0x1234));
			default -> {
			}
		}
		if (this.forgeUnsignedSuccess) {
			reply.accept(StunCodec.encode(new StunMessage(StunMessageClass.SUCCESS_RESPONSE, request.method(),
					request.transactionId(),
					List.of(new StunAttribute.XorRelayedAddress(new InetSocketAddress("127.0.0.66", 6666)),
							new StunAttribute.Lifetime(1)),
					true)));
		}
		reply.accept(StunCodec.encode(new StunMessage(StunMessageClass.SUCCESS_RESPONSE, request.method(),
				request.transactionId(), attributes, true), key));
	}

	private byte[] challenge(StunMessage request, int code, String reason) {
		List<StunAttribute> attributes = new ArrayList<>();
		attributes.add(new StunAttribute.ErrorCode(code, reason));
		attributes.add(new StunAttribute.Realm(REALM));
		if (this.rfc8489 && !this.nonce.startsWith("obMatJos2")) {
			this.nonce = "obMatJos2AAAB" + this.nonceCounter.incrementAndGet();
		}
		attributes.add(new StunAttribute.Nonce(this.nonce));
		if (this.rfc8489) {
			attributes.add(new StunAttribute.PasswordAlgorithms(
					List.of(new StunAttribute.PasswordAlgorithm(StunAttribute.PasswordAlgorithm.SHA256),
							new StunAttribute.PasswordAlgorithm(StunAttribute.PasswordAlgorithm.MD5))));
		}
		return StunCodec.encode(new StunMessage(StunMessageClass.ERROR_RESPONSE, request.method(),
				request.transactionId(), attributes, true));
	}

	@Override
	public void close() throws IOException {
		this.closed.set(true);
		this.udp.close();
		this.tcp.close();
		for (Socket socket : this.connections) {
			socket.close();
		}
	}

}
