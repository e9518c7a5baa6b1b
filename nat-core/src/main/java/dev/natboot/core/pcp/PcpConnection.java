package dev.natboot.core.pcp;

import java.io.IOException;
import java.net.InetSocketAddress;

import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.MessageConnection;

/**
 * Opens blocking PCP connections: typed requests out, typed responses in, over one UDP socket.
 */
public final class PcpConnection {

	private PcpConnection() {
	}

	/**
	 * Opens a connection to a PCP server.
	 * @param server the server, normally the gateway on port 5351
	 * @return the connection
	 * @throws IOException if the socket cannot be opened
	 */
	public static MessageConnection<PcpRequest, PcpResponse> open(InetSocketAddress server) throws IOException {
		return new MessageConnection<>(server, PcpCodec::encode, PcpClient::decode, NatProtocol.PCP);
	}

}
