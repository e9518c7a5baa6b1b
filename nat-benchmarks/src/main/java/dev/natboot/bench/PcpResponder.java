package dev.natboot.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;

/**
 * A PCP server that grants every MAP at once and keeps nothing, for the footprint figures: they measure what the
 * client costs, and a real router spends far longer per request as its table grows (miniupnpd: a quarter of a
 * second per renewal at a hundred rules), which would make 1000 mappings a measure of the router. Stateless, so
 * that nothing it holds counts in the heap figure.
 */
final class PcpResponder implements AutoCloseable {

	private final DatagramSocket socket;

	private final InetAddress external;

	private final long startNanos = System.nanoTime();

	private final Thread thread;

	PcpResponder(InetAddress bind, InetAddress external) throws IOException {
		this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
		this.external = external;
		this.thread = new Thread(this::serve, "pcp-responder");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	InetSocketAddress address() {
		return (InetSocketAddress) this.socket.getLocalSocketAddress();
	}

	private void serve() {
		byte[] buffer = new byte[PcpCodec.MAX_MESSAGE_LENGTH];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		while (!this.socket.isClosed()) {
			try {
				packet.setData(buffer);
				this.socket.receive(packet);
				PcpRequest request = PcpCodec.decodeRequest(buffer, 0, packet.getLength());
				byte[] answer = PcpCodec.encode(answer(request));
				this.socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
			}
			catch (MalformedMessageException ex) {
				// Not a PCP request: a router ignores it too.
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private PcpResponse answer(PcpRequest request) {
		long epoch = (System.nanoTime() - this.startNanos) / 1_000_000_000L;
		if (!(request.data() instanceof PcpMapData map)) {
			return new PcpResponse(request.opcode(), PcpResultCode.SUCCESS, 0, epoch, null, List.of());
		}
		int externalPort = (request.lifetimeSeconds() == 0) ? 0
				: (map.externalPort() != 0) ? map.externalPort() : map.internalPort();
		return new PcpResponse(PcpOpcode.MAP, PcpResultCode.SUCCESS, request.lifetimeSeconds(), epoch,
				new PcpMapData(map.nonce(), map.protocol(), map.internalPort(), externalPort, this.external), List.of());
	}

	@Override
	public void close() throws InterruptedException {
		this.socket.close();
		this.thread.join(1000);
	}

}
