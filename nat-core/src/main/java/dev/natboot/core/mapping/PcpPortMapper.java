package dev.natboot.core.mapping;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpClient;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;

/**
 * Maps with PCP MAP requests. The engine's nonce identifies the mapping, so a renewal or deletion names the
 * same mapping even after the router assigned another external port.
 */
public final class PcpPortMapper implements PortMapper {

	private static final InetAddress IPV4_UNSPECIFIED = unspecified();

	private final PcpClient client;

	private final ServerEpoch epoch;

	private final Consumer<InetAddress> refusedOn;

	/** The suggested external address that leaves the choice to the router: 0.0.0.0, or :: for a pinhole. */
	private final InetAddress anyExternal;

	public PcpPortMapper(PcpClient client) {
		this(client, new ServerEpoch(), (address) -> {
		});
	}

	/**
	 * Creates a mapper that checks the router's epoch in every answer.
	 * @param client the client
	 * @param epoch the router's epoch as seen so far, shared with the selector's probes; it tells the engine
	 * when an answer shows the router lost its mappings
	 * @param refusedOn told the external address a refusal names: miniupnpd behind carrier-grade NAT refuses
	 * every MAP with NO_RESOURCES and names its own external address (100.64.x.y) in the refusal, which is how a
	 * PCP client learns that another NAT sits in front of it
	 */
	PcpPortMapper(PcpClient client, ServerEpoch epoch, Consumer<InetAddress> refusedOn) {
		this(client, epoch, refusedOn, IPV4_UNSPECIFIED);
	}

	/**
	 * Creates a mapper for an IPv6 firewall (RFC 6887 section 11.1 without translation): its MAP requests
	 * suggest :: as the external address, and the router opens the internal address and port itself.
	 * @param client the client, sending from the host's stable IPv6 address
	 * @param epoch the router's epoch as seen so far
	 * @return the mapper
	 */
	static PcpPortMapper pinholes(PcpClient client, ServerEpoch epoch) {
		return new PcpPortMapper(client, epoch, (address) -> {
		}, ipv6Unspecified());
	}

	private PcpPortMapper(PcpClient client, ServerEpoch epoch, Consumer<InetAddress> refusedOn,
			InetAddress anyExternal) {
		this.client = client;
		this.epoch = epoch;
		this.refusedOn = refusedOn;
		this.anyExternal = anyExternal;
	}

	@Override
	public NatProtocol protocol() {
		return NatProtocol.PCP;
	}

	@Override
	public InetSocketAddress gateway() {
		return this.client.server();
	}

	@Override
	public CompletableFuture<PortGrant> map(MappingRequest request) {
		return this.client.map(mapData(request), lifetimeSeconds(request.lifetime())).thenApply((response) -> {
			PcpMapData granted = response.mapData();
			if (response.result() != PcpResultCode.SUCCESS || granted == null) {
				// Only an address the router chose: a server that copies the request's data back copies 0.0.0.0.
				if (granted != null && !granted.externalAddress().isAnyLocalAddress()) {
					this.refusedOn.accept(granted.externalAddress());
				}
				throw new CompletionException(failure(response, "MAP"));
			}
			boolean lost = !this.epoch.observe(response.epochSeconds(), System.nanoTime());
			return new PortGrant(NatProtocol.PCP, gateway(), granted.externalAddress(), granted.externalPort(),
					Duration.ofSeconds(response.lifetimeSeconds()), lost);
		});
	}

	@Override
	public CompletableFuture<Void> unmap(MappingRequest request) {
		return this.client.map(mapData(request), 0).thenAccept((response) -> {
			if (response.result() != PcpResultCode.SUCCESS) {
				throw new CompletionException(failure(response, "delete"));
			}
		});
	}

	/** An ANNOUNCE request: the answer carries the server's epoch and nothing else. */
	@Override
	public CompletableFuture<Probe> probe() {
		return this.client.announce()
			.thenApply((answer) -> new Probe(this.epoch.observe(answer.epochSeconds(), System.nanoTime()), null));
	}

	@Override
	public void warmUp() {
		PcpMapData asked = mapData(new MappingRequest(Transport.TCP, 1024, 1024, Duration.ofMinutes(1),
				new byte[PcpMapData.NONCE_LENGTH], "", false));
		PcpCodec.encode(PcpRequest.map(IPV4_UNSPECIFIED, asked, 60));
		try {
			PcpResponse answer = PcpCodec.decodeResponse(PcpCodec.encode(new PcpResponse(PcpOpcode.MAP,
					PcpResultCode.SUCCESS, 60, 1, asked, List.of())));
			PcpMapData granted = Objects.requireNonNull(answer.mapData());
			new PortGrant(NatProtocol.PCP, gateway(), granted.externalAddress(), granted.externalPort(),
					Duration.ofSeconds(answer.lifetimeSeconds()), false);
		}
		catch (MalformedMessageException ex) {
			throw new IllegalStateException("PCP codec cannot read its own MAP response", ex);
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	private PcpMapData mapData(MappingRequest request) {
		return new PcpMapData(request.nonce(), request.transport().ianaNumber(), request.internalPort(),
				request.suggestedExternalPort(), this.anyExternal);
	}

	static long lifetimeSeconds(Duration lifetime) {
		return Math.min(Math.max(lifetime.toSeconds(), 1), 0xffffffffL);
	}

	private NatException failure(PcpResponse response, String operation) {
		NatErrorKind kind = response.result().errorKind();
		String hint = (response.result() == PcpResultCode.ADDRESS_MISMATCH)
				? " (the router sees this host's requests come from another address: a NAT between them, such as a "
						+ "container bridge, translates it; nat.container.host-address names the address it sees)"
				: "";
		return new NatException((kind != null) ? kind : NatErrorKind.MALFORMED_RESPONSE, NatProtocol.PCP,
				response.result().code(), "PCP " + operation + " refused by " + gateway().getAddress().getHostAddress()
						+ ": " + response.result() + hint);
	}

	private static InetAddress ipv6Unspecified() {
		try {
			return InetAddress.getByAddress(new byte[16]);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static InetAddress unspecified() {
		try {
			return Inet4Address.getByAddress(new byte[4]);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
