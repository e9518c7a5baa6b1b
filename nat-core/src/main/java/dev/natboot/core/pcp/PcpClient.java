package dev.natboot.core.pcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.DatagramExchanger;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Asynchronous PCP client for one server. Answers carry the server's result code as they are; only a server
 * that does not speak PCP at all (it answers in NAT-PMP's version 0 or another version) or does not answer
 * completes the future exceptionally, with a {@link NatException}.
 */
public final class PcpClient implements AutoCloseable {

	private final DatagramExchanger<PcpResponse> exchanger;

	private final Retransmission retransmission;

	/** The client address requests carry instead of the socket's, {@code null} for the socket's. */
	private final @Nullable InetAddress clientAddress;

	/**
	 * Opens a client.
	 * @param loop the loop that runs it
	 * @param server the PCP server, normally the gateway on port 5351
	 * @param retransmission when to send again
	 * @throws NatException if no socket can be opened
	 */
	public PcpClient(NatEventLoop loop, InetSocketAddress server, Retransmission retransmission) throws NatException {
		this(loop, server, retransmission, new IgnoredDatagrams());
	}

	/**
	 * Opens a client that counts what it ignores.
	 * @param loop the loop that runs it
	 * @param server the PCP server, normally the gateway on port 5351
	 * @param retransmission when to send again
	 * @param ignored counts datagrams that answer no request
	 * @throws NatException if no socket can be opened
	 */
	public PcpClient(NatEventLoop loop, InetSocketAddress server, Retransmission retransmission,
			IgnoredDatagrams ignored) throws NatException {
		this(loop, null, server, retransmission, ignored);
	}

	/**
	 * Opens a client that sends from a local address of the caller's choice, which its requests then carry as
	 * the client address: for IPv6, a stable address rather than the temporary one the kernel would prefer.
	 * @param loop the loop that runs it
	 * @param localAddress the address to send from, {@code null} for the one the kernel picks
	 * @param server the PCP server, normally the gateway on port 5351
	 * @param retransmission when to send again
	 * @param ignored counts datagrams that answer no request
	 * @throws NatException if no socket can be opened
	 */
	public PcpClient(NatEventLoop loop, @Nullable InetAddress localAddress, InetSocketAddress server,
			Retransmission retransmission, IgnoredDatagrams ignored) throws NatException {
		this(loop, localAddress, null, server, retransmission, ignored);
	}

	/**
	 * Opens a client whose requests name a client address other than the socket's: the address the server sees
	 * them come from, when a NAT between this host and the server (a container bridge) translates it. RFC 6887
	 * section 8.1 has the server refuse any other with ADDRESS_MISMATCH.
	 * @param loop the loop that runs it
	 * @param localAddress the address to send from, {@code null} for the one the kernel picks
	 * @param clientAddress the client address to put in requests, {@code null} for the socket's
	 * @param server the PCP server
	 * @param retransmission when to send again
	 * @param ignored counts datagrams that answer no request
	 * @throws NatException if no socket can be opened
	 */
	public PcpClient(NatEventLoop loop, @Nullable InetAddress localAddress, @Nullable InetAddress clientAddress,
			InetSocketAddress server, Retransmission retransmission, IgnoredDatagrams ignored) throws NatException {
		this.exchanger = new DatagramExchanger<>(loop, localAddress, server, PcpClient::decode, NatProtocol.PCP, ignored);
		this.retransmission = retransmission;
		this.clientAddress = clientAddress;
	}

	public InetSocketAddress server() {
		return this.exchanger.server();
	}

	/**
	 * The address this client puts in its requests: the one it was given, or the local address that reaches the server.
	 * @return the client address
	 * @throws NatException if the socket is closed
	 */
	public InetAddress clientAddress() throws NatException {
		InetAddress configured = this.clientAddress;
		return (configured != null) ? configured : this.exchanger.localAddress();
	}

	/**
	 * Sends an ANNOUNCE request: learns whether the server speaks PCP, and its epoch, without side effects.
	 * @return the answer
	 */
	public CompletableFuture<PcpResponse> announce() {
		try {
			return send(PcpRequest.announce(clientAddress()));
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends a MAP request: creates, renews (same nonce) or, with lifetime 0, deletes a mapping.
	 * @param map the mapping's nonce, protocol, ports and suggested external address
	 * @param lifetimeSeconds requested lifetime
	 * @param options options
	 * @return the answer
	 */
	public CompletableFuture<PcpResponse> map(PcpMapData map, long lifetimeSeconds, PcpOption... options) {
		try {
			return send(PcpRequest.map(clientAddress(), map, lifetimeSeconds, options));
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends any request. The answer is the first response with the same opcode and, for MAP and PEER, the same
	 * nonce, protocol and internal port (RFC 6887 sections 11.4 and 12.4), and for a successful MAP, a lifetime
	 * that is zero exactly when the request deleted. An error response that carries no opcode data (the server
	 * could not parse the request) names no nonce: it is taken only while no other request of that opcode is
	 * pending, so that a refusal of one mapping can never fail another.
	 * @param request the request
	 * @return the answer
	 */
	public CompletableFuture<PcpResponse> send(PcpRequest request) {
		PcpOpcodeData sent = request.data();
		return this.exchanger.exchange(PcpCodec.encode(request), (response) -> {
			if (response.opcode() != request.opcode()) {
				return false;
			}
			PcpMapData received = response.mapData();
			if (sent == null) {
				return true;
			}
			if (received == null) {
				return false;
			}
			// A late answer to an earlier renewal of the same mapping must not pass for a deletion's, or the reverse.
			return received.sameMappingAs(sent.mapPart()) && (response.result() != PcpResultCode.SUCCESS
					|| (request.lifetimeSeconds() == 0) == (response.lifetimeSeconds() == 0));
		}, (response) -> sent != null && response.opcode() == request.opcode() && response.mapData() == null
				&& response.result() != PcpResultCode.SUCCESS, this.retransmission);
	}

	@Override
	public void close() {
		this.exchanger.close();
	}

	/**
	 * Decodes a datagram from a PCP server; a response in another version means the server does not speak
	 * PCP version 2 (RFC 6887 section 9), which fails every pending request at once instead of waiting.
	 */
	static PcpResponse decode(byte[] data) throws MalformedMessageException, NatException {
		if (data.length >= 4 && (data[1] & 0x80) != 0 && data[0] != PcpCodec.VERSION) {
			int version = data[0] & 0xff;
			throw new NatException(NatErrorKind.UNSUPPORTED_VERSION, NatProtocol.PCP, data[3] & 0xff,
					"Gateway answered PCP in version " + version + ((version == 0) ? " (NAT-PMP only)" : ""));
		}
		return PcpCodec.decodeResponse(data);
	}

}
