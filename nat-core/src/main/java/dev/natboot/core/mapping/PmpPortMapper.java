package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.pmp.PmpClient;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.pmp.PmpMapRequest;
import dev.natboot.core.pmp.PmpMapResponse;
import dev.natboot.core.pmp.PmpResponse;
import dev.natboot.core.pmp.PmpResultCode;

/**
 * Maps with NAT-PMP. A map response carries no external address, so each mapping also asks for it, in
 * parallel.
 */
public final class PmpPortMapper implements PortMapper {

	static final InetAddress UNSPECIFIED = new InetSocketAddress(0).getAddress();

	private final PmpClient client;

	private final ServerEpoch epoch;

	public PmpPortMapper(PmpClient client) {
		this(client, new ServerEpoch());
	}

	/**
	 * Creates a mapper that checks the router's epoch in every answer.
	 * @param client the client
	 * @param epoch the router's epoch as seen so far, shared with the announcement listener; it tells the
	 * engine when an answer shows the router lost its mappings
	 */
	PmpPortMapper(PmpClient client, ServerEpoch epoch) {
		this.client = client;
		this.epoch = epoch;
	}

	@Override
	public NatProtocol protocol() {
		return NatProtocol.NAT_PMP;
	}

	@Override
	public InetSocketAddress gateway() {
		return this.client.gateway();
	}

	@Override
	public CompletableFuture<PortGrant> map(MappingRequest request) {
		var address = this.client.externalAddress().thenApply((response) -> {
			check(response, "external address");
			return response.externalAddress();
		});
		var mapped = this.client.map(new PmpMapRequest(request.transport(), request.internalPort(),
				request.suggestedExternalPort(), PcpPortMapper.lifetimeSeconds(request.lifetime())))
			.thenApply((response) -> check(response, "mapping"));
		return mapped.thenCombine(address, (response, externalAddress) -> {
			boolean lost = !this.epoch.observe(response.epochSeconds(), System.nanoTime());
			return new PortGrant(NatProtocol.NAT_PMP, gateway(), externalAddress, response.mappedExternalPort(),
					Duration.ofSeconds(response.lifetimeSeconds()), lost);
		});
	}

	/**
	 * The external address request; a failure code (NETWORK_FAILURE: no external address yet) reads as
	 * 0.0.0.0, which is what the router has.
	 */
	@Override
	public CompletableFuture<Optional<InetAddress>> routerAddress() {
		return this.client.externalAddress().thenApply((response) -> Optional.of(
				(response.result() == PmpResultCode.SUCCESS) ? response.externalAddress() : UNSPECIFIED));
	}

	/** The external address request: its answer carries the epoch and the router's external address. */
	@Override
	public CompletableFuture<Probe> probe() {
		return this.client.externalAddress().thenApply((response) -> {
			boolean kept = this.epoch.observe(response.epochSeconds(), System.nanoTime());
			return new Probe(kept, (response.result() == PmpResultCode.SUCCESS) ? response.externalAddress() : UNSPECIFIED);
		});
	}

	@Override
	public CompletableFuture<Void> unmap(MappingRequest request) {
		return this.client.map(PmpMapRequest.delete(request.transport(), request.internalPort()))
			.thenAccept((response) -> check(response, "delete"));
	}

	@Override
	public void warmUp() {
		PmpMapRequest asked = new PmpMapRequest(Transport.TCP, 1024, 1024, 60);
		PmpCodec.encode(asked);
		try {
			PmpMapResponse answer = (PmpMapResponse) PmpCodec.decodeResponse(PmpCodec.encode(new PmpMapResponse(
					asked.transport(), PmpResultCode.SUCCESS, 1, asked.internalPort(), asked.suggestedExternalPort(), 60)));
			new PortGrant(NatProtocol.NAT_PMP, gateway(), UNSPECIFIED, answer.mappedExternalPort(),
					Duration.ofSeconds(answer.lifetimeSeconds()), false);
		}
		catch (MalformedMessageException ex) {
			throw new IllegalStateException("NAT-PMP codec cannot read its own mapping response", ex);
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	private <R extends PmpResponse> R check(R response, String operation) {
		if (response.result() != PmpResultCode.SUCCESS) {
			NatErrorKind kind = response.result().errorKind();
			throw new CompletionException(new NatException((kind != null) ? kind : NatErrorKind.PROTOCOL_ERROR,
					NatProtocol.NAT_PMP, response.result().code(), "NAT-PMP " + operation + " refused by "
							+ gateway().getAddress().getHostAddress() + ": " + response.result()));
		}
		return response;
	}

}
