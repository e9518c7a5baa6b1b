package dev.natboot.core.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.natboot.core.AddressScope;
import dev.natboot.core.IpLiteral;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * From the gateway's address to a WAN connection service ready to map: SSDP search, description, and, when
 * the device offers several connections (a DSL router with PPP and IP, say), the one that is connected with
 * a public external address.
 */
public final class UpnpDiscovery {

	private UpnpDiscovery() {
	}

	/**
	 * Discovers the gateway's IGD.
	 * @param loop the engine's loop
	 * @param client HTTP for the description and SOAP
	 * @param gateway the gateway and its SSDP port
	 * @param window how long to wait for its SSDP answer
	 * @return the gateway, ready to map
	 */
	public static CompletableFuture<UpnpGateway> discover(NatEventLoop loop, UpnpClient client,
			InetSocketAddress gateway, Duration window) {
		return SsdpSearch.find(loop, gateway, window).thenCompose((answer) -> describe(client, answer));
	}

	/**
	 * Reads the description of a device that answered an SSDP search and picks its WAN connection service.
	 * @param client HTTP for the description and SOAP
	 * @param answer the device's SSDP answer
	 * @return the gateway, ready to map
	 */
	public static CompletableFuture<UpnpGateway> describe(UpnpClient client, SsdpSearch.Answer answer) {
		return client.fetch(answer.location(), IgdDescriptionParser.MAX_LENGTH)
			.thenCompose((xml) -> {
				IgdDescription description;
				try {
					description = IgdDescriptionParser.parse(xml, answer.location(), answer.device());
				}
				catch (MalformedMessageException ex) {
					throw new CompletionException(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.UPNP,
							NatException.NO_ROUTER_CODE, ex.getMessage(), ex));
				}
				if (description.services().isEmpty()) {
					throw new CompletionException(new NatException(NatErrorKind.UNSUPPORTED_OPERATION,
							NatProtocol.UPNP, "UPnP device " + answer.device().getHostAddress()
									+ " offers no WANIPConnection or WANPPPConnection service"));
				}
				InetAddress internalClient = localAddressToward(answer.device());
				return best(client, description).thenCompose((service) -> client
					.call(service, "GetExternalIPAddress", Map.of())
					// A harmless first action: proves the control URL answers and warms the SOAP path, so the
					// first mapping costs only the router's own time.
					.handle((response, failure) -> new UpnpGateway(answer.device(), answer.location(), description,
							service, internalClient, (response instanceof SoapResponse.Success success)
									? externalAddress(success) : null,
							System.nanoTime(), identity(answer, description))));
			});
	}

	/**
	 * The gateway's announcements name its UUIDs; the search answer's own USN counts too, for descriptions
	 * that carry no UDN.
	 */
	private static UpnpGateway.Identity identity(SsdpSearch.Answer answer, IgdDescription description) {
		Set<String> ids = new LinkedHashSet<>(description.deviceIds());
		String answered = IgdDescription.uuidOf(answer.usn());
		if (answered != null) {
			ids.add(answered);
		}
		return new UpnpGateway.Identity(ids, answer.rawLocation(), answer.bootId());
	}

	/**
	 * GetExternalIPAddress's answer: IGD v2 says an empty string when the router has no external address, which
	 * reads as 0.0.0.0 (unspecified, "not connected"); anything but an address literal reads as unknown.
	 */
	static @Nullable InetAddress externalAddress(SoapResponse.Success answer) {
		String text = answer.argument("NewExternalIPAddress");
		if (text != null && text.isBlank()) {
			return IpLiteral.parseIpv4("0.0.0.0");
		}
		return IpLiteral.parse(text);
	}

	private static CompletableFuture<IgdService> best(UpnpClient client, IgdDescription description) {
		List<IgdService> services = description.services();
		if (services.size() == 1) {
			return CompletableFuture.completedFuture(services.get(0));
		}
		List<CompletableFuture<Ranked>> ranked = new ArrayList<>();
		for (IgdService service : services) {
			CompletableFuture<Boolean> connected = client.call(service, "GetStatusInfo", Map.of())
				.handle((response, failure) -> response instanceof SoapResponse.Success success
						&& "Connected".equalsIgnoreCase(success.argument("NewConnectionStatus")));
			CompletableFuture<Boolean> isPublic = client.call(service, "GetExternalIPAddress", Map.of())
				.handle((response, failure) -> response instanceof SoapResponse.Success success
						&& AddressScope.parse(success.argument("NewExternalIPAddress")) == AddressScope.PUBLIC);
			ranked.add(connected.thenCombine(isPublic, (up, open) -> new Ranked(service, (up ? 2 : 0) + (open ? 1 : 0))));
		}
		return CompletableFuture.allOf(ranked.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> ranked.stream()
				.map(CompletableFuture::join)
				.max(Comparator.comparingInt(Ranked::score)
					.thenComparing(Comparator.comparingInt((Ranked r) -> r.service().preference()).reversed()))
				.map(Ranked::service)
				.orElse(services.get(0)));
	}

	private static InetAddress localAddressToward(InetAddress device) {
		// Connecting a UDP socket sends nothing; it only asks the kernel which source address it would use.
		try (DatagramChannel probe = DatagramChannel.open()) {
			probe.connect(new InetSocketAddress(device, SsdpCodec.PORT));
			return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
		}
		catch (IOException ex) {
			throw new CompletionException(new NatException(NatErrorKind.IO_ERROR, NatProtocol.UPNP,
					NatException.NO_ROUTER_CODE, "No route to " + device.getHostAddress(), ex));
		}
	}

	private record Ranked(IgdService service, int score) {

	}

}
