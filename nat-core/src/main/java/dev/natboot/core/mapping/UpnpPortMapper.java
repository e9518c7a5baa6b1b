package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.upnp.SoapCodec;
import dev.natboot.core.upnp.SoapResponse;
import dev.natboot.core.upnp.UpnpClient;
import dev.natboot.core.upnp.UpnpErrorCode;
import dev.natboot.core.upnp.UpnpGateway;
import org.jspecify.annotations.Nullable;

/**
 * Maps with UPnP IGD's WANIPConnection or WANPPPConnection service.
 * <ul>
 * <li>Before adding, GetSpecificPortMappingEntry tells whether the external port is free, already this
 * mapping's (a renewal), or someone else's. Routers such as miniupnpd silently replace a mapping of the same
 * host, so without this check a second application on the host would steal the first one's port.</li>
 * <li>A finite lease is asked; a router that only takes permanent leases (725, or 402 with a lease) gets 0,
 * and the mapping is deleted at stop like every other.</li>
 * <li>A taken port (718, or the check) moves to the next ports, never below 1024; IGD v2 then lets the router
 * choose with AddAnyPortMapping, as it does at once for a port the router's rules refuse (606).</li>
 * </ul>
 */
public final class UpnpPortMapper implements PortMapper {

	/** Longest lease IGD v2 allows (one week). */
	static final long MAX_LEASE_SECONDS = 604800;

	private static final int PORT_TRIES = 12;

	private static final int LOWEST_PORT = 1024;

	/**
	 * How long the external address read during discovery stands in for a GetExternalIPAddress after the first
	 * mapping: the app's server usually starts well within it, and renewals and verifications ask again.
	 */
	static final Duration DISCOVERED_ADDRESS_FRESHNESS = Duration.ofSeconds(30);

	private final UpnpClient client;

	private final UpnpGateway gateway;

	private final PermanentLeaseJournal journal;

	/** Most entries cleanup reads from a router's table while looking for one whose port it does not know. */
	private static final int MAX_TABLE_ENTRIES = 256;

	/** The external address from discovery, until a mapping used it or it grew stale; on the loop thread. */
	private @Nullable InetAddress discoveredAddress;

	public UpnpPortMapper(UpnpClient client, UpnpGateway gateway) {
		this(client, gateway, PermanentLeaseJournal.NONE);
	}

	/**
	 * Creates a mapper that writes every permanent mapping down before asking the router for it.
	 * @param client the client
	 * @param gateway the gateway
	 * @param journal where permanent mappings are written down
	 */
	UpnpPortMapper(UpnpClient client, UpnpGateway gateway, PermanentLeaseJournal journal) {
		this.client = client;
		this.gateway = gateway;
		this.journal = journal;
		this.discoveredAddress = gateway.externalAddress();
	}

	/**
	 * This host's address as the router sees it: the internal client of every mapping.
	 * @return the address
	 */
	InetAddress internalClient() {
		return this.gateway.internalClient();
	}

	@Override
	public NatProtocol protocol() {
		return NatProtocol.UPNP;
	}

	@Override
	public InetSocketAddress gateway() {
		return this.gateway.endpoint();
	}

	@Override
	public CompletableFuture<PortGrant> map(MappingRequest request) {
		long lease = Math.min(Math.max(request.lifetime().toSeconds(), 1), MAX_LEASE_SECONDS);
		int wanted = Math.max(request.suggestedExternalPort(), LOWEST_PORT);
		return place(request, wanted, lease, 0).thenCompose((placed) -> externalAddressAfterMapping()
			.thenApply((address) -> new PortGrant(NatProtocol.UPNP, gateway(), address, placed.port(),
					(placed.lease() > 0) ? Duration.ofSeconds(placed.lease()) : null,
					request.renewal() && placed.wasMissing())));
	}

	/**
	 * Deletes the entry only after GetSpecificPortMappingEntry showed it is still this mapping's: same internal
	 * client, internal port and description. If the router lost it and gave the port to another host or
	 * application meanwhile, deleting by external port alone would delete theirs: it is left alone and the
	 * release reports {@link NatErrorKind#MAPPING_TAKEN}. A router that cannot say whose the port is gets no
	 * blind delete either.
	 */
	@Override
	public CompletableFuture<Void> unmap(MappingRequest request) {
		Map<String, String> arguments = entry(request.transport(), request.suggestedExternalPort());
		return call("GetSpecificPortMappingEntry", arguments).thenCompose((response) -> {
			if (response instanceof SoapResponse.Success held) {
				if (!holds(held, request.internalPort(), request.description())) {
					throw new CompletionException(new NatException(NatErrorKind.MAPPING_TAKEN, NatProtocol.UPNP,
							"External port " + request.suggestedExternalPort() + "/" + request.transport() + " on "
									+ this.gateway.device().getHostAddress() + " now maps to " + describe(held)
									+ ", not to this application: left alone"));
				}
				return call("DeletePortMapping", arguments).thenAccept((deleted) -> {
					if (deleted instanceof SoapResponse.Fault fault && fault.errorCode() != UpnpErrorCode.NO_SUCH_ENTRY.code()) {
						throw new CompletionException(failure("DeletePortMapping", fault));
					}
				});
			}
			SoapResponse.Fault fault = (SoapResponse.Fault) response;
			if (fault.errorCode() == UpnpErrorCode.NO_SUCH_ENTRY.code()) {
				return CompletableFuture.completedFuture(null); // nothing there any more
			}
			throw new CompletionException(failure("GetSpecificPortMappingEntry", fault));
		});
	}

	/**
	 * Whether an entry the router holds is this application's: this host, the same internal port, and the same
	 * description, where the router keeps one (some return it empty, some cut it short).
	 */
	private boolean holds(SoapResponse.Success entry, int internalPort, String description) {
		String held = entry.argument("NewPortMappingDescription");
		boolean sameDescription = held == null || held.isEmpty() || held.equals(description)
				|| (held.length() >= 8 && description.startsWith(held));
		return String.valueOf(internalPort).equals(trimmed(entry.argument("NewInternalPort")))
				&& this.gateway.internalClient().equals(IpLiteral.parse(entry.argument("NewInternalClient")))
				&& sameDescription;
	}

	private static @Nullable String trimmed(@Nullable String text) {
		return (text != null) ? text.trim() : null;
	}

	private static String describe(SoapResponse.Success entry) {
		String client = String.valueOf(entry.argument("NewInternalClient")).replaceAll("[^0-9A-Za-z.:\\[\\]]", "?");
		String port = String.valueOf(entry.argument("NewInternalPort")).replaceAll("[^0-9]", "?");
		return client + ":" + port;
	}

	@Override
	public boolean canCheck() {
		return true;
	}

	/**
	 * Checks with GetSpecificPortMappingEntry and GetExternalIPAddress, which change nothing on the router.
	 */
	@Override
	public CompletableFuture<Presence> check(MappingRequest request, PortGrant grant) {
		return owner(request, request.suggestedExternalPort()).thenCompose((owner) -> switch (owner) {
			case US -> externalAddress().thenApply((address) -> address.equals(grant.externalAddress())
					? Presence.PRESENT : Presence.ADDRESS_CHANGED);
			case NOBODY, OTHER -> CompletableFuture.completedFuture(Presence.MISSING);
			case UNKNOWN -> CompletableFuture.completedFuture(Presence.UNKNOWN);
		});
	}

	/**
	 * Deletes a mapping a previous run of this application left, if the router still holds it for this host,
	 * with the same internal port and description; anything else on that port is left alone.
	 * @param leftover what the previous run recorded
	 * @return true once the entry is settled (deleted, or no longer this application's), false if the router
	 * did not say
	 */
	CompletableFuture<Boolean> removeLeftover(MappingJournal.Entry leftover) {
		if (!leftover.internalClient().equals(this.gateway.internalClient())) {
			return CompletableFuture.completedFuture(true); // made for another address of this host: not ours now
		}
		if (leftover.externalPort() == 0) {
			return removeLeftoverAt(leftover, 0);
		}
		Map<String, String> arguments = entry(leftover.transport(), leftover.externalPort());
		return call("GetSpecificPortMappingEntry", arguments).thenCompose((response) -> {
			if (response instanceof SoapResponse.Success entry) {
				if (!holds(entry, leftover.internalPort(), leftover.description())) {
					return CompletableFuture.completedFuture(true);
				}
				return call("DeletePortMapping", arguments).thenApply((deleted) -> deleted instanceof SoapResponse.Success
						|| (deleted instanceof SoapResponse.Fault fault
								&& fault.errorCode() == UpnpErrorCode.NO_SUCH_ENTRY.code()));
			}
			return CompletableFuture.completedFuture(response instanceof SoapResponse.Fault fault
					&& fault.errorCode() == UpnpErrorCode.NO_SUCH_ENTRY.code());
		});
	}

	/**
	 * A crash came between asking the router to choose a port for a permanent mapping and learning which: the
	 * router's table is read entry by entry (GetGenericPortMappingEntry) for the one that is this application's.
	 */
	private CompletableFuture<Boolean> removeLeftoverAt(MappingJournal.Entry leftover, int index) {
		if (index >= MAX_TABLE_ENTRIES) {
			return CompletableFuture.completedFuture(true);
		}
		return call("GetGenericPortMappingEntry", Map.of("NewPortMappingIndex", String.valueOf(index)))
			.thenCompose((response) -> {
				if (!(response instanceof SoapResponse.Success entry)) {
					// 713 (SpecifiedArrayIndexInvalid) or 402 past the end: the whole table was read.
					return CompletableFuture.completedFuture(true);
				}
				String port = trimmed(entry.argument("NewExternalPort"));
				boolean ours = leftover.transport().name().equalsIgnoreCase(trimmed(entry.argument("NewProtocol")))
						&& holds(entry, leftover.internalPort(), leftover.description()) && port != null
						&& port.matches("\\d{1,5}");
				if (!ours) {
					return removeLeftoverAt(leftover, index + 1);
				}
				return call("DeletePortMapping", entry(leftover.transport(), Integer.parseInt(port)))
					.thenApply((deleted) -> deleted instanceof SoapResponse.Success);
			});
	}

	@Override
	public CompletableFuture<Optional<InetAddress>> routerAddress() {
		return externalAddress().thenApply(Optional::of);
	}

	/**
	 * Where the router's description was read.
	 * @return the description URL
	 */
	public String location() {
		return this.gateway.location().toString();
	}

	/**
	 * How the router's own SSDP announcements name it.
	 * @return its UUIDs, LOCATION and BOOTID
	 */
	UpnpGateway.Identity identity() {
		return this.gateway.announcedAs();
	}

	/**
	 * Encodes the two actions of a first mapping and decodes the answers they usually get (the port is free:
	 * fault 714; then success). Discovery already warmed the HTTP exchange and the XML parser.
	 */
	@Override
	public void warmUp() {
		String type = this.gateway.service().serviceType();
		MappingRequest sample = new MappingRequest(Transport.TCP, LOWEST_PORT, LOWEST_PORT, Duration.ofMinutes(1),
				new byte[0], "", false);
		SoapCodec.encodeRequest(type, "GetSpecificPortMappingEntry", entry(Transport.TCP, LOWEST_PORT));
		SoapCodec.encodeRequest(type, "AddPortMapping", mappingArguments(sample, LOWEST_PORT, 60));
		String envelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>%s</s:Body>"
				+ "</s:Envelope>";
		try {
			SoapCodec.decodeResponse(envelope.formatted("<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError"
					+ "</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>714"
					+ "</errorCode><errorDescription>NoSuchEntryInArray</errorDescription></UPnPError></detail></s:Fault>")
				.getBytes(StandardCharsets.UTF_8), "GetSpecificPortMappingEntry");
			SoapCodec.decodeResponse(envelope.formatted("<u:AddPortMappingResponse xmlns:u=\"" + type + "\"/>")
				.getBytes(StandardCharsets.UTF_8), "AddPortMapping");
		}
		catch (MalformedMessageException ex) {
			throw new IllegalStateException("SOAP codec cannot read the answers it expects", ex);
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	private CompletableFuture<Placed> place(MappingRequest request, int port, long lease, int tries) {
		return owner(request, port).thenCompose((owner) -> (owner == Owner.OTHER)
				? elsewhere(request, port, lease, tries)
				: add(request, port, lease, tries).thenApply((placed) -> (owner == Owner.NOBODY) ? placed.missing() : placed));
	}

	private CompletableFuture<Owner> owner(MappingRequest request, int port) {
		return call("GetSpecificPortMappingEntry", entry(request.transport(), port)).thenApply((response) -> {
			if (response instanceof SoapResponse.Success entry) {
				boolean ours = String.valueOf(request.internalPort()).equals(trimmed(entry.argument("NewInternalPort")))
						&& this.gateway.internalClient().equals(IpLiteral.parse(entry.argument("NewInternalClient")));
				return ours ? Owner.US : Owner.OTHER;
			}
			// 714 says it is free; on any other answer, AddPortMapping will tell.
			return (response instanceof SoapResponse.Fault fault && fault.errorCode() == UpnpErrorCode.NO_SUCH_ENTRY.code())
					? Owner.NOBODY : Owner.UNKNOWN;
		});
	}

	private CompletableFuture<Placed> add(MappingRequest request, int port, long lease, int tries) {
		Map<String, String> arguments = mappingArguments(request, port, lease);
		MappingJournal.Entry permanent = (lease == 0) ? permanentEntry(request, port) : null;
		if (permanent != null) {
			this.journal.beforeAsking(permanent);
		}
		return call("AddPortMapping", arguments).thenCompose((response) -> {
			if (response instanceof SoapResponse.Success) {
				return CompletableFuture.completedFuture(new Placed(port, lease));
			}
			if (permanent != null) {
				this.journal.refused(permanent);
			}
			SoapResponse.Fault fault = (SoapResponse.Fault) response;
			UpnpErrorCode code = UpnpErrorCode.of(fault.errorCode());
			if (lease > 0 && (code == UpnpErrorCode.ONLY_PERMANENT_LEASES || code == UpnpErrorCode.INVALID_ARGS)) {
				return add(request, port, 0, tries);
			}
			if (code == UpnpErrorCode.CONFLICT_IN_MAPPING_ENTRY) {
				return elsewhere(request, port, lease, tries);
			}
			if (code == UpnpErrorCode.ACTION_NOT_AUTHORIZED && this.gateway.service().version() >= 2) {
				return addAny(request, port, lease);
			}
			throw new CompletionException(failure("AddPortMapping", fault));
		});
	}

	private CompletableFuture<Placed> elsewhere(MappingRequest request, int port, long lease, int tries) {
		int next = (port >= 65535) ? LOWEST_PORT : port + 1;
		if (tries + 1 < PORT_TRIES) {
			return place(request, next, lease, tries + 1);
		}
		if (this.gateway.service().version() >= 2) {
			return addAny(request, next, lease);
		}
		return CompletableFuture.failedFuture(new NatException(NatErrorKind.CANNOT_PROVIDE_EXTERNAL, NatProtocol.UPNP,
				"External ports " + request.suggestedExternalPort() + " to " + port + " are all taken"));
	}

	private CompletableFuture<Placed> addAny(MappingRequest request, int port, long lease) {
		// The router chooses the port: written down without one, found in its table if a crash comes first.
		MappingJournal.Entry permanent = (lease == 0) ? permanentEntry(request, 0) : null;
		if (permanent != null) {
			this.journal.beforeAsking(permanent);
		}
		return call("AddAnyPortMapping", mappingArguments(request, port, lease)).thenApply((response) -> {
			if (response instanceof SoapResponse.Fault fault) {
				if (permanent != null) {
					this.journal.refused(permanent);
				}
				throw new CompletionException(failure("AddAnyPortMapping", fault));
			}
			String reserved = ((SoapResponse.Success) response).argument("NewReservedPort");
			int granted;
			try {
				granted = Integer.parseInt(String.valueOf(reserved).trim());
			}
			catch (NumberFormatException ex) {
				throw new CompletionException(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.UPNP,
						"AddAnyPortMapping reserved port '" + reserved + "'"));
			}
			if (granted < 1 || granted > 65535) {
				throw new CompletionException(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.UPNP,
						"AddAnyPortMapping reserved port " + granted));
			}
			return new Placed(granted, lease);
		});
	}

	/**
	 * The external address to report with a mapping just made: the one discovery read, once and while fresh,
	 * which spares the first mapping a third SOAP exchange while the application is still starting; else asked.
	 */
	private CompletableFuture<InetAddress> externalAddressAfterMapping() {
		InetAddress discovered = this.discoveredAddress;
		this.discoveredAddress = null;
		if (discovered != null && !discovered.isAnyLocalAddress()
				&& System.nanoTime() - this.gateway.discoveredNanos() < DISCOVERED_ADDRESS_FRESHNESS.toNanos()) {
			return CompletableFuture.completedFuture(discovered);
		}
		return externalAddress();
	}

	private CompletableFuture<InetAddress> externalAddress() {
		return call("GetExternalIPAddress", Map.of()).thenApply((response) -> {
			if (response instanceof SoapResponse.Success success) {
				InetAddress address = IpLiteral.parse(success.argument("NewExternalIPAddress"));
				if (address != null) {
					return address;
				}
			}
			// Reported, not hidden: 0.0.0.0 classifies as "no external address".
			return java.util.Objects.requireNonNull(IpLiteral.parseIpv4("0.0.0.0"));
		});
	}

	private MappingJournal.Entry permanentEntry(MappingRequest request, int port) {
		return new MappingJournal.Entry(this.gateway.device(), request.transport(), port, this.gateway.internalClient(),
				request.internalPort(), request.description());
	}

	/** The arguments that name one mapping entry: any remote host, an external port, a transport. */
	private static Map<String, String> entry(Transport transport, int externalPort) {
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("NewRemoteHost", "");
		arguments.put("NewExternalPort", String.valueOf(externalPort));
		arguments.put("NewProtocol", transport.name());
		return arguments;
	}

	private Map<String, String> mappingArguments(MappingRequest request, int port, long lease) {
		Map<String, String> arguments = entry(request.transport(), port);
		arguments.put("NewInternalPort", String.valueOf(request.internalPort()));
		arguments.put("NewInternalClient", this.gateway.internalClient().getHostAddress());
		arguments.put("NewEnabled", "1");
		arguments.put("NewPortMappingDescription", request.description());
		arguments.put("NewLeaseDuration", String.valueOf(lease));
		return arguments;
	}

	private CompletableFuture<SoapResponse> call(String action, Map<String, String> arguments) {
		return this.client.call(this.gateway.service(), action, arguments);
	}

	private NatException failure(String action, SoapResponse.Fault fault) {
		UpnpErrorCode code = UpnpErrorCode.of(fault.errorCode());
		NatErrorKind kind = (code != null) ? code.errorKind() : NatErrorKind.PROTOCOL_ERROR;
		return new NatException(kind, NatProtocol.UPNP, fault.errorCode(), action + " refused by "
				+ this.gateway.device().getHostAddress() + ": UPnP error " + fault.errorCode() + " (" + fault.description() + ")");
	}

	private enum Owner {

		NOBODY, US, OTHER, UNKNOWN

	}

	/** Where a mapping went; {@code wasMissing} when the router held no mapping on that port before. */
	private record Placed(int port, long lease, boolean wasMissing) {

		Placed(int port, long lease) {
			this(port, lease, false);
		}

		Placed missing() {
			return new Placed(this.port, this.lease, true);
		}

	}

	/**
	 * Where permanent mappings are written down: before the router is asked for one, and when it refused.
	 */
	interface PermanentLeaseJournal {

		/** Writes nothing. */
		PermanentLeaseJournal NONE = new PermanentLeaseJournal() {

			@Override
			public void beforeAsking(MappingJournal.Entry entry) {
			}

			@Override
			public void refused(MappingJournal.Entry entry) {
			}

		};

		/**
		 * The router is about to be asked for a mapping without a lease: written and forced to disk first.
		 * @param entry the mapping
		 */
		void beforeAsking(MappingJournal.Entry entry);

		/**
		 * The router refused it.
		 * @param entry the mapping
		 */
		void refused(MappingJournal.Entry entry);

	}

}
