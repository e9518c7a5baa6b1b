package dev.natboot.core.upnp;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What an Internet Gateway Device's description offers.
 *
 * @param deviceType type of the root device
 * @param friendlyName the name its owner sees
 * @param services its WAN connection services, best first
 * @param deviceIds the UUIDs of the root device and every device nested in it (their UDNs, lower case, without
 * {@code uuid:}): what the device's SSDP announcements name in their USN
 */
public record IgdDescription(String deviceType, @Nullable String friendlyName, List<IgdService> services,
		Set<String> deviceIds) {

	public IgdDescription {
		services = List.copyOf(services);
		deviceIds = Set.copyOf(deviceIds);
	}

	/**
	 * A description whose devices carry no UDN.
	 * @param deviceType type of the root device
	 * @param friendlyName the name its owner sees
	 * @param services its WAN connection services, best first
	 */
	public IgdDescription(String deviceType, @Nullable String friendlyName, List<IgdService> services) {
		this(deviceType, friendlyName, services, Set.of());
	}

	/**
	 * The device UUID an SSDP unique service name (USN) names: {@code uuid:UUID} or {@code uuid:UUID::TYPE}.
	 * @param usn the USN header, as received
	 * @return the UUID in lower case, {@code null} if the USN names none
	 */
	public static @Nullable String uuidOf(@Nullable String usn) {
		if (usn == null) {
			return null;
		}
		String trimmed = usn.trim();
		if (!trimmed.regionMatches(true, 0, "uuid:", 0, 5)) {
			return null;
		}
		// "uuid::TYPE" names no device: its separator starts on the prefix's own colon
		int end = trimmed.indexOf("::", 4);
		if (end == 4) {
			return null;
		}
		String uuid = trimmed.substring(5, (end >= 0) ? end : trimmed.length()).trim();
		return uuid.isEmpty() ? null : uuid.toLowerCase(java.util.Locale.ROOT);
	}

}
