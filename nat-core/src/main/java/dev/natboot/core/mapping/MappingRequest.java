package dev.natboot.core.mapping;

import java.time.Duration;

import dev.natboot.core.Transport;

/**
 * What the engine asks a {@link PortMapper} for: one create, renew or delete.
 *
 * @param transport TCP or UDP
 * @param internalPort port on this host
 * @param suggestedExternalPort external port wanted
 * @param lifetime lifetime asked for
 * @param nonce identity of the mapping across renewals and deletion, 12 octets (PCP uses it; others ignore it)
 * @param description what the mapping is for (UPnP carries it)
 * @param renewal whether the router granted this mapping before (so finding it missing means it was lost)
 */
public record MappingRequest(Transport transport, int internalPort, int suggestedExternalPort, Duration lifetime,
		byte[] nonce, String description, boolean renewal) {

}
