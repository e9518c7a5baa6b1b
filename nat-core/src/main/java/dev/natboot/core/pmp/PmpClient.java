package dev.natboot.core.pmp;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.DatagramExchanger;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;

/**
 * Asynchronous NAT-PMP client for one gateway. Answers carry the gateway's result code as they are; only a
 * gateway that does not answer completes the future exceptionally, with a {@link NatException}.
 */
public final class PmpClient implements AutoCloseable {

	private final DatagramExchanger<PmpResponse> exchanger;

	private final Retransmission retransmission;

	/**
	 * Opens a client.
	 * @param loop the loop that runs it
	 * @param gateway the gateway, normally on port 5351
	 * @param retransmission when to send again
	 * @throws NatException if no socket can be opened
	 */
	public PmpClient(NatEventLoop loop, InetSocketAddress gateway, Retransmission retransmission) throws NatException {
		this(loop, gateway, retransmission, new IgnoredDatagrams());
	}

	/**
	 * Opens a client that counts what it ignores.
	 * @param loop the loop that runs it
	 * @param gateway the gateway, normally on port 5351
	 * @param retransmission when to send again
	 * @param ignored counts datagrams that answer no request
	 * @throws NatException if no socket can be opened
	 */
	public PmpClient(NatEventLoop loop, InetSocketAddress gateway, Retransmission retransmission,
			IgnoredDatagrams ignored) throws NatException {
		this.exchanger = new DatagramExchanger<>(loop, gateway, PmpCodec::decodeResponse, NatProtocol.NAT_PMP, ignored);
		this.retransmission = retransmission;
	}

	public InetSocketAddress gateway() {
		return this.exchanger.server();
	}

	/**
	 * Asks for the gateway's external address.
	 * @return the answer
	 */
	public CompletableFuture<PmpExternalAddressResponse> externalAddress() {
		return this.exchanger
			.exchange(PmpCodec.encode(new PmpExternalAddressRequest()),
					(response) -> response instanceof PmpExternalAddressResponse, this.retransmission)
			.thenApply(PmpExternalAddressResponse.class::cast);
	}

	/**
	 * Creates, renews or deletes a mapping. The answer is the first map response for the same transport and
	 * internal port. An error answer that carries no internal port (RFC 6886 section 3.5 leaves the fields after
	 * the header undefined on error; some gateways send the header alone) is taken only while no other mapping
	 * request of that transport is pending, so that a refusal of one port can never fail another.
	 * @param request the request
	 * @return the answer
	 */
	public CompletableFuture<PmpMapResponse> map(PmpMapRequest request) {
		return this.exchanger.exchange(PmpCodec.encode(request), (response) -> response instanceof PmpMapResponse map
				&& map.transport() == request.transport() && map.internalPort() == request.internalPort()
				// A late answer to an earlier renewal must not pass for a deletion's, or the reverse.
				&& (map.result() != PmpResultCode.SUCCESS
						|| (request.lifetimeSeconds() == 0) == (map.lifetimeSeconds() == 0)),
				(response) -> response instanceof PmpMapResponse map && map.transport() == request.transport()
						&& map.result() != PmpResultCode.SUCCESS && map.internalPort() == 0,
				this.retransmission)
			.thenApply(PmpMapResponse.class::cast);
	}

	@Override
	public void close() {
		this.exchanger.close();
	}

}
