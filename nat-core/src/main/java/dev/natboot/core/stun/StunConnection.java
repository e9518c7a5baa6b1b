package dev.natboot.core.stun;

import java.io.IOException;
import java.net.InetSocketAddress;

import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.MessageConnection;

/**
 * Opens blocking STUN connections over UDP: typed messages out and in, for tools, tests and measurements. The
 * engine and {@link NatBehaviorDiscovery} use the asynchronous {@link StunClient}, which also takes answers from
 * a server's other address.
 */
public final class StunConnection {

	private StunConnection() {
	}

	/**
	 * Opens a connection to a STUN server.
	 * @param server the server, normally on port 3478
	 * @return the connection; match answers to requests with {@link StunMessage#hasTransactionId}
	 * @throws IOException if the socket cannot be opened
	 */
	public static MessageConnection<StunMessage, StunMessage> open(InetSocketAddress server) throws IOException {
		return new MessageConnection<>(server, StunCodec::encode, StunCodec::decode, NatProtocol.STUN);
	}

}
