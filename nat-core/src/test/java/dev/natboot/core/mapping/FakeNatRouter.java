package dev.natboot.core.mapping;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.pmp.PmpExternalAddressResponse;
import dev.natboot.core.pmp.PmpMapRequest;
import dev.natboot.core.pmp.PmpMapResponse;
import dev.natboot.core.pmp.PmpRequest;
import dev.natboot.core.pmp.PmpResultCode;

/**
 * A PCP / NAT-PMP router on 127.0.0.1 for unit tests, built on the project's own codecs. It keeps a mapping
 * table like a real router, caps lifetimes, and can be told to stay silent or refuse.
 */
final class FakeNatRouter implements AutoCloseable {

	static final InetAddress EXTERNAL = address("203.0.113.5");

	/** The external address the router reports; tests change it to simulate a new address from the ISP. */
	volatile InetAddress external = EXTERNAL;

	private final DatagramSocket socket;

	private final Thread thread;

	private final boolean speaksPcp;

	private final boolean speaksPmp;

	volatile long maxLifetimeSeconds = 3600;

	/** Epoch time at the last (re)start; the epoch then advances with the clock, as a real router's does. */
	private volatile long epochAtStart = 1000;

	private volatile long startNanos = System.nanoTime();

	volatile boolean silent;

	/** Drop PCP without answering, like a NAT-PMP router behind a firewall rule. */
	volatile boolean dropPcp;

	volatile int delayMillis;

	volatile PcpResultCode pcpRefusal = PcpResultCode.SUCCESS;

	/**
	 * Whether a PCP refusal names the router's external address in its MAP data, as miniupnpd's do, instead of
	 * copying the request's.
	 */
	volatile boolean refusalNamesExternal;

	final Map<String, Integer> mappings = new ConcurrentHashMap<>();

	final List<String> requests = new CopyOnWriteArrayList<>();

	final AtomicInteger pcpMapRequests = new AtomicInteger();

	final AtomicInteger pmpMapRequests = new AtomicInteger();

	/** An IPv6 firewall: PCP on ::1, a MAP opens the client's own address (no translation). */
	private final boolean firewall;

	FakeNatRouter(boolean speaksPcp, boolean speaksPmp) throws SocketException {
		this(speaksPcp, speaksPmp, InetAddress.getLoopbackAddress(), false);
	}

	private FakeNatRouter(boolean speaksPcp, boolean speaksPmp, InetAddress bound, boolean firewall)
			throws SocketException {
		this.speaksPcp = speaksPcp;
		this.speaksPmp = speaksPmp;
		this.firewall = firewall;
		this.socket = new DatagramSocket(new InetSocketAddress(bound, 0));
		this.thread = new Thread(this::serve, "fake-nat-router");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * An IPv6 firewall with a PCP server on [::1]: MAP requests open pinholes for the client's own address.
	 * @return the firewall
	 */
	static FakeNatRouter ipv6Firewall() throws SocketException {
		return new FakeNatRouter(true, false, IPV6_LOOPBACK, true);
	}

	static final InetAddress IPV6_LOOPBACK = address("::1");

	/**
	 * The mode that names this router, by the address it listens on.
	 * @param kind the mode's kind
	 * @return the mode
	 */
	NatMode modeAtBoundAddress(NatMode.Kind kind) {
		return new NatMode(kind, (InetSocketAddress) this.socket.getLocalSocketAddress(), null);
	}

	NatMode mode(NatMode.Kind kind) {
		return new NatMode(kind, new InetSocketAddress(InetAddress.getLoopbackAddress(), this.socket.getLocalPort()),
				null);
	}

	@Override
	public void close() {
		this.socket.close();
	}

	private void serve() {
		byte[] buffer = new byte[2048];
		while (!this.socket.isClosed()) {
			try {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				this.socket.receive(packet);
				byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
				this.requests.add(HexFormat.of().formatHex(data));
				if (this.silent) {
					continue;
				}
				if (this.delayMillis > 0) {
					Thread.sleep(this.delayMillis);
				}
				byte[] answer = answer(data);
				if (answer != null) {
					this.socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
				}
			}
			catch (IOException | InterruptedException ex) {
				return;
			}
			catch (Exception ex) {
				// A request the fake does not understand gets no answer, like a real router.
			}
		}
	}

	private byte[] answer(byte[] data) throws Exception {
		if (data[0] == PcpCodec.VERSION) {
			if (this.dropPcp) {
				return null;
			}
			if (this.speaksPcp) {
				return PcpCodec.encode(answerPcp(PcpCodec.decodeRequest(data)));
			}
			if (this.speaksPmp) {
				// RFC 6887 section 9: a NAT-PMP-only server answers version 0, UNSUPPORTED_VERSION.
				return ByteBuffer.allocate(8).put((byte) 0).put((byte) (128 + data[1])).putShort((short) 1)
					.putInt(10).array();
			}
			return null;
		}
		return this.speaksPmp ? answerPmp(PmpCodec.decodeRequest(data)) : null;
	}

	private PcpResponse answerPcp(PcpRequest request) {
		if (request.opcode() == PcpOpcode.ANNOUNCE) {
			return new PcpResponse(PcpOpcode.ANNOUNCE, PcpResultCode.SUCCESS, 0, epoch(), null, List.of());
		}
		this.pcpMapRequests.incrementAndGet();
		PcpMapData map = (PcpMapData) request.data();
		if (this.pcpRefusal != PcpResultCode.SUCCESS) {
			PcpMapData data = this.refusalNamesExternal
					? new PcpMapData(map.nonce(), map.protocol(), map.internalPort(), map.externalPort(), this.external) : map;
			return new PcpResponse(request.opcode(), this.pcpRefusal, 30, epoch(), data, List.of());
		}
		Transport transport = (map.protocol() == 6) ? Transport.TCP : Transport.UDP;
		String key = transport + "/" + map.internalPort();
		long lifetime = Math.min(request.lifetimeSeconds(), this.maxLifetimeSeconds);
		int external = 0;
		if (lifetime == 0) {
			this.mappings.remove(key);
		}
		else {
			external = allocate(key, map.externalPort());
		}
		InetAddress opened = this.firewall ? request.clientAddress() : this.external;
		int openedPort = (this.firewall && lifetime != 0) ? map.internalPort() : external;
		return new PcpResponse(PcpOpcode.MAP, PcpResultCode.SUCCESS, lifetime, epoch(),
				new PcpMapData(map.nonce(), map.protocol(), map.internalPort(), openedPort, opened), List.of());
	}

	private byte[] answerPmp(PmpRequest request) {
		if (!(request instanceof PmpMapRequest map)) {
			return PmpCodec.encode(new PmpExternalAddressResponse(PmpResultCode.SUCCESS, epoch(), (Inet4Address) this.external));
		}
		this.pmpMapRequests.incrementAndGet();
		String key = map.transport() + "/" + map.internalPort();
		long lifetime = Math.min(map.lifetimeSeconds(), this.maxLifetimeSeconds);
		int external = 0;
		if (lifetime == 0) {
			this.mappings.remove(key);
		}
		else {
			external = allocate(key, map.suggestedExternalPort());
		}
		return PmpCodec.encode(new PmpMapResponse(map.transport(), PmpResultCode.SUCCESS, epoch(), map.internalPort(),
				external, lifetime));
	}

	long epoch() {
		return this.epochAtStart + (System.nanoTime() - this.startNanos) / 1_000_000_000L;
	}

	/** Loses every mapping and starts a new epoch, like a router that was power-cycled. */
	void restart() {
		this.mappings.clear();
		this.epochAtStart = 0;
		this.startNanos = System.nanoTime();
	}

	/**
	 * Multicasts nothing: sends the announcement a restarted router makes to 224.0.0.1:5350 to a port on
	 * loopback instead.
	 * @param port where the engine listens
	 * @param pcp PCP ANNOUNCE if true, else NAT-PMP's external address announcement
	 */
	void announce(int port, boolean pcp) throws IOException {
		byte[] announcement = pcp
				? PcpCodec.encode(new PcpResponse(PcpOpcode.ANNOUNCE, PcpResultCode.SUCCESS, 0, epoch(), null, List.of()))
				: PmpCodec.encode(new PmpExternalAddressResponse(PmpResultCode.SUCCESS, epoch(), (Inet4Address) this.external));
		this.socket.send(new DatagramPacket(announcement, announcement.length, InetAddress.getLoopbackAddress(), port));
	}

	/**
	 * Sends what a LAN device forging the router's announcements sends, from the router's own address and port
	 * (which a forger on a real LAN writes into its packets' headers): an announcement with any epoch.
	 * @param port where the engine listens
	 * @param pcp PCP ANNOUNCE if true, else NAT-PMP's external address announcement
	 * @param epoch the epoch it claims
	 * @param external the external address it claims (NAT-PMP)
	 */
	void forgeAnnouncement(int port, boolean pcp, long epoch, InetAddress external) throws IOException {
		byte[] announcement = pcp
				? PcpCodec.encode(new PcpResponse(PcpOpcode.ANNOUNCE, PcpResultCode.SUCCESS, 0, epoch, null, List.of()))
				: PmpCodec.encode(new PmpExternalAddressResponse(PmpResultCode.SUCCESS, epoch, (Inet4Address) external));
		this.socket.send(new DatagramPacket(announcement, announcement.length, InetAddress.getLoopbackAddress(), port));
	}

	/** Grants the suggested port unless another mapping holds it, like miniupnpd. */
	private synchronized int allocate(String key, int suggested) {
		Integer existing = this.mappings.get(key);
		if (existing != null) {
			return existing;
		}
		int port = (suggested != 0) ? suggested : 40000;
		while (this.mappings.containsValue(port)) {
			port++;
		}
		this.mappings.put(key, port);
		return port;
	}

	private static InetAddress address(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
