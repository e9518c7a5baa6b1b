package dev.natboot.core.upnp;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WAN connection service of an Internet Gateway Device: where to send its SOAP actions.
 *
 * @param serviceType for example {@code urn:schemas-upnp-org:service:WANIPConnection:2}
 * @param controlUrl where its actions go, always on the device's own address
 */
public record IgdService(String serviceType, URI controlUrl) {

	/**
	 * The UPnP Forum's service types, and the same services under the DSL Forum's namespace, which DSL routers
	 * (Huawei HG531, MitraStar HGW-2501GNU among them) use for the very same IGD actions.
	 */
	private static final Pattern WAN_CONNECTION = Pattern.compile(
			"urn:(?:schemas-upnp-org|dslforum-org):service:WAN(IP|PPP)Connection:(\\d+)", Pattern.CASE_INSENSITIVE);

	/**
	 * Whether a service type is one this client can map with.
	 * @param serviceType a service type
	 * @return true for WANIPConnection and WANPPPConnection of any version, in the UPnP or DSL Forum namespace
	 */
	public static boolean isWanConnection(String serviceType) {
		return WAN_CONNECTION.matcher(serviceType.trim()).matches();
	}

	/**
	 * The service's version: 2 offers AddAnyPortMapping.
	 * @return 1 or 2 (or more)
	 */
	public int version() {
		Matcher matcher = WAN_CONNECTION.matcher(this.serviceType);
		return matcher.matches() ? Integer.parseInt(matcher.group(2)) : 1;
	}

	/**
	 * Whether this is a PPP connection (DSL routers) rather than an IP one.
	 * @return true for WANPPPConnection
	 */
	public boolean isPpp() {
		return this.serviceType.toUpperCase(Locale.ROOT).contains("WANPPPCONNECTION");
	}

	/**
	 * Preference when a device offers several: WANIPConnection:2, then WANIPConnection:1, then PPP.
	 * @return a lower number for a better service
	 */
	int preference() {
		return (isPpp() ? 10 : 0) - Math.min(version(), 9);
	}

}
