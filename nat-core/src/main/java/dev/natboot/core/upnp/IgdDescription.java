package dev.natboot.core.upnp;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What an Internet Gateway Device's description offers.
 *
 * @param deviceType type of the root device
 * @param friendlyName the name its owner sees
 * @param services its WAN connection services, best first
 */
public record IgdDescription(String deviceType, @Nullable String friendlyName, List<IgdService> services) {

	public IgdDescription {
		services = List.copyOf(services);
	}

}
