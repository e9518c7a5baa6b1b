package dev.natboot.core.stun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.natboot.core.MalformedMessageException;

/**
 * A STUN server with two addresses on loopback (127.0.0.1 and 127.0.0.2, two ports each) that answers as RFC 5780
 * asks, and can play a NAT in front of the client: it reports a translated mapped address (on 127.0.0.9, so that
 * nothing leaves loopback) and drops CHANGE-REQUEST answers a NAT's filter would drop.
 */
public final class FakeStunServer implements AutoCloseable {

	static final InetAddress PRIMARY = address("127.0.0.1");

	static final InetAddress SECONDARY = address("127.0.0.2");

	/** Where the played NAT's public address is: nothing listens there. */
	public static final InetAddress NAT_ADDRESS = address("127.0.0.9");

	/** The four sockets: [primary address][primary port, secondary port]. */
	private final DatagramSocket[][] sockets = new DatagramSocket[2][2];

	private final List<Thread> threads = new ArrayList<>();

	public final List<StunMessage> requests = new CopyOnWriteArrayList<>();

	public final AtomicInteger dropNext = new AtomicInteger();

	/** The NAT played; null for none. */
	public volatile MappingBehavior mapping;

	public volatile FilteringBehavior filtering = FilteringBehavior.ENDPOINT_INDEPENDENT;

	/** Replaces the mapped address reported, when set; for a public address that changes. */
	public volatile InetSocketAddress reportedAddress;

	public volatile boolean sendOtherAddress = true;

	/** A lying OTHER-ADDRESS, when set. */
	public volatile InetSocketAddress otherAddressOverride;

	public volatile boolean honourChangeRequest = true;

	/** Turns each answer into another, when set. */
	public volatile Function<StunMessage, StunMessage> answerRewrite;

	public FakeStunServer() {
		int primaryPort = 0;
		int secondaryPort = 0;
		try {
			this.sockets[0][0] = new DatagramSocket(new InetSocketAddress(PRIMARY, 0));
			primaryPort = this.sockets[0][0].getLocalPort();
			this.sockets[0][1] = new DatagramSocket(new InetSocketAddress(PRIMARY, 0));
			secondaryPort = this.sockets[0][1].getLocalPort();
			this.sockets[1][0] = new DatagramSocket(new InetSocketAddress(SECONDARY, primaryPort));
			this.sockets[1][1] = new DatagramSocket(new InetSocketAddress(SECONDARY, secondaryPort));
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException(ex);
		}
		for (int a = 0; a < 2; a++) {
			for (int p = 0; p < 2; p++) {
				int addressIndex = a;
				int portIndex = p;
				Thread thread = new Thread(() -> serve(addressIndex, portIndex), "fake-stun-" + a + p);
				thread.setDaemon(true);
				thread.start();
				this.threads.add(thread);
			}
		}
	}

	public InetSocketAddress primary() {
		return address(0, 0);
	}

	InetSocketAddress address(int addressIndex, int portIndex) {
		DatagramSocket socket = this.sockets[addressIndex][portIndex];
		return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
	}

	private void serve(int addressIndex, int portIndex) {
		DatagramSocket socket = this.sockets[addressIndex][portIndex];
		byte[] buffer = new byte[2048];
		while (!socket.isClosed()) {
			try {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				socket.receive(packet);
				byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
				StunMessage request = StunCodec.decode(data);
				this.requests.add(request);
				if (this.dropNext.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
					continue;
				}
				answer(request, (InetSocketAddress) packet.getSocketAddress(), addressIndex, portIndex);
			}
			catch (MalformedMessageException ex) {
				// Not STUN: ignored.
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void answer(StunMessage request, InetSocketAddress client, int addressIndex, int portIndex)
			throws IOException {
		int fromAddress = addressIndex;
		int fromPort = portIndex;
		StunAttribute.ChangeRequest change = request.attribute(StunAttribute.ChangeRequest.class).orElse(null);
		if (change != null && this.honourChangeRequest) {
			fromAddress = change.changeAddress() ? 1 - addressIndex : addressIndex;
			fromPort = change.changePort() ? 1 - portIndex : portIndex;
			if (!passesFilter(change)) {
				return;
			}
		}
		InetSocketAddress origin = address(fromAddress, fromPort);
		List<StunAttribute> attributes = new ArrayList<>();
		attributes.add(new StunAttribute.XorMappedAddress(mapped(client, addressIndex, portIndex)));
		attributes.add(new StunAttribute.ResponseOrigin(origin));
		if (this.sendOtherAddress) {
			InetSocketAddress other = this.otherAddressOverride;
			attributes.add(new StunAttribute.OtherAddress((other != null) ? other : address(1 - fromAddress, 1 - fromPort)));
		}
		attributes.add(new StunAttribute.Software("fake STUN server"));
		StunMessage response = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, request.method(),
				request.transactionId(), attributes, true);
		Function<StunMessage, StunMessage> rewrite = this.answerRewrite;
		if (rewrite != null) {
			response = rewrite.apply(response);
		}
		byte[] data = StunCodec.encode(response);
		this.sockets[fromAddress][fromPort].send(new DatagramPacket(data, data.length, client));
	}

	/** A NAT's filter only ever saw the client send to the primary address and port. */
	private boolean passesFilter(StunAttribute.ChangeRequest change) {
		if (this.mapping == null && this.filtering == FilteringBehavior.ENDPOINT_INDEPENDENT) {
			return true;
		}
		return switch (this.filtering) {
			case ENDPOINT_INDEPENDENT, UNKNOWN -> true;
			case ADDRESS_DEPENDENT -> !change.changeAddress();
			case ADDRESS_AND_PORT_DEPENDENT -> false;
		};
	}

	private InetSocketAddress mapped(InetSocketAddress client, int addressIndex, int portIndex) {
		InetSocketAddress reported = this.reportedAddress;
		if (reported != null) {
			return reported;
		}
		MappingBehavior played = this.mapping;
		if (played == null || played == MappingBehavior.NO_NAT) {
			return client;
		}
		int offset = switch (played) {
			case ADDRESS_DEPENDENT -> addressIndex;
			case ADDRESS_AND_PORT_DEPENDENT -> 2 * addressIndex + portIndex;
			default -> 0;
		};
		return new InetSocketAddress(NAT_ADDRESS, 10000 + (client.getPort() % 20000) + offset);
	}

	@Override
	public void close() {
		for (DatagramSocket[] row : this.sockets) {
			for (DatagramSocket socket : row) {
				if (socket != null) {
					socket.close();
				}
			}
		}
	}

	private static InetAddress address(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
