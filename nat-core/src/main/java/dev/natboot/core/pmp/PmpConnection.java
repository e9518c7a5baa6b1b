package dev.natboot.core.pmp;

import java.io.IOException;
import java.net.InetSocketAddress;

import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.MessageConnection;

/**
 * Opens blocking NAT-PMP connections: typed requests out, typed responses in, over one UDP socket.
 */
public final class PmpConnection {

	private PmpConnection() {
	}

	/**
	 * Opens a connection to a NAT-PMP gateway.
	 * @param gateway the gateway, normally on port 5351
	 * @return the connection
	 * @throws IOException if the socket cannot be opened
	 */
	public static MessageConnection<PmpRequest, PmpResponse> open(InetSocketAddress gateway) throws IOException {
		return new MessageConnection<>(gateway, PmpCodec::encode, PmpCodec::decodeResponse, NatProtocol.NAT_PMP);
	}

}
