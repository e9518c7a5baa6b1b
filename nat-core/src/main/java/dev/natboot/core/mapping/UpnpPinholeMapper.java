package dev.natboot.core.mapping;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.upnp.IgdService;
import dev.natboot.core.upnp.SoapResponse;
import dev.natboot.core.upnp.UpnpClient;
import dev.natboot.core.upnp.UpnpErrorCode;

/**
 * Opens IPv6 pinholes with UPnP IGD v2's WANIPv6FirewallControl:1: AddPinhole for the host's stable address
 * (any remote host and port), UpdatePinhole with the router's UniqueID to renew, DeletePinhole to release. The
 * requests come from that address, since routers (miniupnpd among them) accept a pinhole only for the address
 * that asks. A renewal of a pinhole the router forgot (error 704 NoSuchEntry) adds it again.
 */
final class UpnpPinholeMapper implements PortMapper {

	/** WANIPv6FirewallControl's longest lease: a day. */
	static final long MAX_LEASE_SECONDS = 86400;

	/** NoSuchEntry in WANIPv6FirewallControl (704), not the port mapping table's 714. */
	private static final int NO_SUCH_ENTRY = 704;

	private final UpnpClient client;

	private final IgdService service;

	private final Inet6Address internalClient;

	private final InetSocketAddress gateway;

	/** The router's UniqueID of each pinhole, by transport and port. */
	private final Map<String, String> pinholes = new ConcurrentHashMap<>();

	UpnpPinholeMapper(UpnpClient client, IgdService service, Inet6Address internalClient, InetSocketAddress gateway) {
		this.client = client;
		this.service = service;
		this.internalClient = internalClient;
		this.gateway = gateway;
	}

	@Override
	public NatProtocol protocol() {
		return NatProtocol.UPNP;
	}

	@Override
	public InetSocketAddress gateway() {
		return this.gateway;
	}

	@Override
	public CompletableFuture<PortGrant> map(MappingRequest request) {
		long lease = Math.min(Math.max(request.lifetime().toSeconds(), 1), MAX_LEASE_SECONDS);
		String id = this.pinholes.get(key(request));
		CompletableFuture<Void> placed = (id != null) ? update(request, id, lease) : add(request, lease);
		return placed.thenApply((ignored) -> new PortGrant(NatProtocol.UPNP, this.gateway, this.internalClient,
				request.internalPort(), Duration.ofSeconds(lease), false));
	}

	@Override
	public CompletableFuture<Void> unmap(MappingRequest request) {
		String id = this.pinholes.remove(key(request));
		if (id == null) {
			return CompletableFuture.completedFuture(null);
		}
		return this.client.call(this.service, "DeletePinhole", Map.of("UniqueID", id)).thenAccept((response) -> {
			if (response instanceof SoapResponse.Fault fault && fault.errorCode() != NO_SUCH_ENTRY) {
				throw new CompletionException(failure("DeletePinhole", fault));
			}
		});
	}

	@Override
	public void close() {
		this.client.close();
	}

	private CompletableFuture<Void> update(MappingRequest request, String id, long lease) {
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("UniqueID", id);
		arguments.put("NewLeaseTime", Long.toString(lease));
		return this.client.call(this.service, "UpdatePinhole", arguments).thenCompose((response) -> {
			if (response instanceof SoapResponse.Fault fault) {
				if (fault.errorCode() == NO_SUCH_ENTRY) {
					this.pinholes.remove(key(request));
					return add(request, lease); // the router forgot it: open it again
				}
				return CompletableFuture.failedFuture(failure("UpdatePinhole", fault));
			}
			return CompletableFuture.completedFuture(null);
		});
	}

	private CompletableFuture<Void> add(MappingRequest request, long lease) {
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("RemoteHost", "");
		arguments.put("RemotePort", "0");
		arguments.put("InternalClient", IpLiteral.format(this.internalClient));
		arguments.put("InternalPort", Integer.toString(request.internalPort()));
		arguments.put("Protocol", Integer.toString(request.transport().ianaNumber()));
		arguments.put("LeaseTime", Long.toString(lease));
		return this.client.call(this.service, "AddPinhole", arguments).thenAccept((response) -> {
			if (response instanceof SoapResponse.Fault fault) {
				throw new CompletionException(failure("AddPinhole", fault));
			}
			String id = ((SoapResponse.Success) response).argument("UniqueID");
			if (id == null || !id.trim().matches("\\d{1,5}")) {
				throw new CompletionException(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.UPNP,
						"AddPinhole answered UniqueID '" + id + "'"));
			}
			this.pinholes.put(key(request), id.trim());
		});
	}

	private NatException failure(String action, SoapResponse.Fault fault) {
		UpnpErrorCode code = UpnpErrorCode.of(fault.errorCode());
		NatErrorKind kind = (fault.errorCode() == 606 || fault.errorCode() == 702) ? NatErrorKind.NOT_AUTHORIZED
				: (code != null) ? code.errorKind() : NatErrorKind.PROTOCOL_ERROR;
		return new NatException(kind, NatProtocol.UPNP, fault.errorCode(), action + " refused by "
				+ IpLiteral.format(this.gateway.getAddress()) + ": UPnP error " + fault.errorCode() + " ("
				+ fault.description() + ")");
	}

	private static String key(MappingRequest request) {
		return request.transport() + "/" + request.internalPort();
	}

}
