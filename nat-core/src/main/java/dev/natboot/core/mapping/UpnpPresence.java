package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.util.Objects;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.upnp.IgdDescription;
import dev.natboot.core.upnp.SsdpCodec;
import dev.natboot.core.upnp.SsdpMessage;
import dev.natboot.core.upnp.UpnpGateway;
import org.jspecify.annotations.Nullable;

/**
 * Reads a UPnP router's SSDP announcements: {@code ssdp:byebye} when it stops, {@code ssdp:alive} when it
 * starts and every half of its CACHE-CONTROL max-age after. Only announcements of the IGD in use count: from
 * its address, and naming in their USN one of the UUIDs its description gave (a router that also announces a
 * media server, or a second root device, sends alike announcements from the same address). A restart shows as
 * an alive after a goodbye, a new BOOTID.UPNP.ORG (UDA 1.1 section 1.2.2: it changes at every boot) or a new
 * LOCATION, compared as written (most routers take a new HTTP port at every start, so the old control URL is
 * dead). One router sends a burst of a dozen alike announcements, one per device and service: only the first
 * one of a change counts.
 */
final class UpnpPresence {

	private @Nullable String bootId;

	private @Nullable String location;

	private boolean saidGoodbye;

	private UpnpGateway.@Nullable Identity knownAs;

	/**
	 * Reads an SSDP datagram.
	 * @param data the datagram
	 * @param source who sent it
	 * @param gateway the router in use; anything from another address is ignored
	 * @param identity how the IGD in use announces itself, {@code null} before it was described
	 * @return what it means
	 */
	Notice heard(byte[] data, InetAddress source, @Nullable InetAddress gateway,
			UpnpGateway.@Nullable Identity identity) {
		if (gateway == null || !gateway.equals(source) || identity == null) {
			return Notice.FOREIGN;
		}
		if (!identity.equals(this.knownAs)) {
			// Another description was read (a restart, a new router): its search answer is the new baseline.
			this.knownAs = identity;
			this.bootId = identity.bootId();
			this.location = identity.rawLocation();
			this.saidGoodbye = false;
		}
		SsdpMessage message;
		try {
			message = SsdpCodec.decode(data);
		}
		catch (MalformedMessageException ex) {
			return Notice.MALFORMED;
		}
		if (message.kind() != SsdpMessage.Kind.NOTIFY) {
			return Notice.NOT_THE_ROUTERS;
		}
		String uuid = IgdDescription.uuidOf(message.usn());
		boolean ours = (uuid != null) ? identity.deviceIds().contains(uuid)
				: identity.deviceIds().isEmpty() && identity.rawLocation().equals(message.location());
		if (!ours) {
			return Notice.NOT_THE_ROUTERS;
		}
		String kind = message.header("NTS");
		if ("ssdp:byebye".equalsIgnoreCase(kind)) {
			if (this.saidGoodbye) {
				return Notice.ALIVE;
			}
			this.saidGoodbye = true;
			return Notice.GONE;
		}
		if (!"ssdp:alive".equalsIgnoreCase(kind)) {
			return Notice.NOT_THE_ROUTERS;
		}
		String heardBootId = message.header("BOOTID.UPNP.ORG");
		String heardLocation = message.location();
		boolean restarted = this.saidGoodbye
				|| (this.bootId != null && heardBootId != null && !this.bootId.equals(heardBootId))
				|| (this.location != null && heardLocation != null && !this.location.equals(heardLocation));
		this.saidGoodbye = false;
		this.bootId = Objects.requireNonNullElse(heardBootId, this.bootId);
		this.location = Objects.requireNonNullElse(heardLocation, this.location);
		return restarted ? Notice.RESTARTED : Notice.ALIVE;
	}

	/** What an SSDP datagram means. */
	enum Notice {

		/** Not from the router in use, or heard before its description was read. */
		FOREIGN,

		/** Not SSDP. */
		MALFORMED,

		/** From the router's address, but not an announcement of its IGD. */
		NOT_THE_ROUTERS,

		/** The router is there, as it was. */
		ALIVE,

		/** The router said goodbye: it is stopping. */
		GONE,

		/** The router started again: its mappings and control URL may be gone. */
		RESTARTED

	}

}
