package dev.natboot.core.upnp;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a UPnP device description (UDA 1.1 section 2) for the WAN connection services of an Internet Gateway
 * Device, at any depth of nested devices. Hostile documents are bounded (size, nesting) and parsed without
 * DTDs; every URL is resolved against the description and then pinned to the device's own address, so a
 * description can never send the client to another host.
 */
public final class IgdDescriptionParser {

	/** Largest description accepted; real ones are a few kilobytes. */
	public static final int MAX_LENGTH = 128 * 1024;

	private static final int MAX_DEPTH = 8;

	/** More devices than any router describes; a description with more is not worth remembering. */
	private static final int MAX_DEVICES = 64;

	private IgdDescriptionParser() {
	}

	/**
	 * Parses a description.
	 * @param xml the document
	 * @param location where it was fetched from
	 * @param device the device's address, which every URL is pinned to
	 * @return the description
	 * @throws MalformedMessageException if it is not a well-formed device description
	 */
	public static IgdDescription parse(byte[] xml, URI location, InetAddress device) throws MalformedMessageException {
		XmlElement root = SafeXml.parse(xml, MAX_LENGTH, "Device description");
		if (!SafeXml.localName(root).equalsIgnoreCase("root")) {
			throw new MalformedMessageException("Device description's root element is <" + SafeXml.localName(root) + ">");
		}
		XmlElement rootDevice = SafeXml.child(root, "device");
		if (rootDevice == null) {
			throw new MalformedMessageException("Device description has no <device>");
		}
		URI base = location;
		String urlBase = SafeXml.childText(root, "URLBase");
		if (urlBase != null && !urlBase.isEmpty()) {
			URI parsed = parseUri(urlBase);
			if (parsed != null && parsed.isAbsolute()) {
				base = parsed;
			}
		}
		List<IgdService> services = new ArrayList<>();
		Set<String> deviceIds = new LinkedHashSet<>();
		collect(rootDevice, base, device, services, deviceIds, 0);
		services.sort(Comparator.comparingInt(IgdService::preference));
		String deviceType = SafeXml.childText(rootDevice, "deviceType");
		return new IgdDescription((deviceType != null) ? deviceType : "", SafeXml.childText(rootDevice, "friendlyName"),
				services, deviceIds);
	}

	/** The IGD v2 service that opens IPv6 pinholes. */
	public static final String FIREWALL_CONTROL = "urn:schemas-upnp-org:service:WANIPv6FirewallControl:1";

	/**
	 * Finds the IPv6 firewall control service (IGD v2's WANIPv6FirewallControl) in a device description, with
	 * the same limits as {@link #parse(byte[], URI, InetAddress)}.
	 * @param xml the description
	 * @param location where it was fetched from
	 * @param device the device's address, which the control URL is pinned to
	 * @return the service, empty if the device has none
	 * @throws MalformedMessageException if it is not a well-formed device description
	 */
	public static Optional<IgdService> firewallControl(byte[] xml, URI location, InetAddress device)
			throws MalformedMessageException {
		XmlElement document = SafeXml.parse(xml, MAX_LENGTH, "Device description");
		XmlElement rootDevice = SafeXml.child(document, "device");
		if (rootDevice == null) {
			throw new MalformedMessageException("Device description has no <device>");
		}
		return findService(rootDevice, location, device, FIREWALL_CONTROL, 0);
	}

	private static Optional<IgdService> findService(XmlElement device, URI base, InetAddress address, String wanted,
			int depth) throws MalformedMessageException {
		if (depth > MAX_DEPTH) {
			throw new MalformedMessageException("Device description nests devices deeper than " + MAX_DEPTH);
		}
		XmlElement serviceList = SafeXml.child(device, "serviceList");
		if (serviceList != null) {
			for (XmlElement service : SafeXml.children(serviceList, "service")) {
				String type = SafeXml.childText(service, "serviceType");
				String control = SafeXml.childText(service, "controlURL");
				if (type != null && control != null && type.trim().equalsIgnoreCase(wanted)) {
					URI url = pin(base, control, address);
					if (url != null) {
						return Optional.of(new IgdService(type.trim(), url));
					}
				}
			}
		}
		XmlElement deviceList = SafeXml.child(device, "deviceList");
		if (deviceList != null) {
			for (XmlElement nested : SafeXml.children(deviceList, "device")) {
				Optional<IgdService> found = findService(nested, base, address, wanted, depth + 1);
				if (found.isPresent()) {
					return found;
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Resolves a URL from a description or an SSDP answer and pins it to the device: only {@code http}, and
	 * whatever host it names is replaced by the device's address.
	 * @param base what a relative URL is relative to
	 * @param reference the URL as written
	 * @param device the device
	 * @return the URL to use, or {@code null} if it cannot be used
	 */
	public static @Nullable URI pin(URI base, String reference, InetAddress device) {
		URI parsed = parseUri(reference.trim());
		if (parsed == null) {
			return null;
		}
		URI resolved = base.resolve(parsed);
		if (resolved.getScheme() == null || !resolved.getScheme().toLowerCase(Locale.ROOT).equals("http")) {
			return null;
		}
		int port = (resolved.getPort() > 0) ? resolved.getPort() : 80;
		try {
			String path = (resolved.getRawPath() == null || resolved.getRawPath().isEmpty()) ? "/" : resolved.getRawPath();
			String query = (resolved.getRawQuery() != null) ? "?" + resolved.getRawQuery() : "";
			return new URI("http://" + hostLiteral(device) + ":" + port + path + query);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static void collect(XmlElement device, URI base, InetAddress address, List<IgdService> services,
			Set<String> deviceIds, int depth) throws MalformedMessageException {
		if (depth > MAX_DEPTH) {
			throw new MalformedMessageException("Device description nests devices deeper than " + MAX_DEPTH);
		}
		String uuid = IgdDescription.uuidOf(SafeXml.childText(device, "UDN"));
		if (uuid != null && deviceIds.size() < MAX_DEVICES) {
			deviceIds.add(uuid);
		}
		XmlElement serviceList = SafeXml.child(device, "serviceList");
		if (serviceList != null) {
			for (XmlElement service : SafeXml.children(serviceList, "service")) {
				String type = SafeXml.childText(service, "serviceType");
				String control = SafeXml.childText(service, "controlURL");
				if (type != null && control != null && IgdService.isWanConnection(type)) {
					URI url = pin(base, control, address);
					if (url != null) {
						services.add(new IgdService(type.trim(), url));
					}
				}
			}
		}
		XmlElement deviceList = SafeXml.child(device, "deviceList");
		if (deviceList != null) {
			for (XmlElement nested : SafeXml.children(deviceList, "device")) {
				collect(nested, base, address, services, deviceIds, depth + 1);
			}
		}
	}

	private static @Nullable URI parseUri(String text) {
		try {
			return new URI(text);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static String hostLiteral(InetAddress address) {
		String host = address.getHostAddress();
		return (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
	}

}
