package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.util.Objects;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.upnp.SsdpCodec;
import dev.natboot.core.upnp.SsdpMessage;
import org.jspecify.annotations.Nullable;

/**
 * Reads a UPnP router's SSDP announcements: {@code ssdp:byebye} when it stops, {@code ssdp:alive} when it
 * starts and every half of its CACHE-CONTROL max-age after. A restart shows as an alive after a goodbye, a new
 * BOOTID.UPNP.ORG (UDA 1.1 section 1.2.2: it changes at every boot) or a new LOCATION (most routers take a
 * new HTTP port at every start, so the old control URL is dead). One router sends a burst of a dozen alike
 * announcements, one per device and service: only the first one of a change counts.
 */
final class UpnpPresence {

	private @Nullable String bootId;

	private @Nullable String location;

	private boolean saidGoodbye;

	/**
	 * Reads an SSDP datagram.
	 * @param data the datagram
	 * @param source who sent it
	 * @param gateway the router in use; anything from another address is ignored
	 * @param currentLocation where the description of the router in use was read, if known
	 * @return what it means
	 */
	Notice heard(byte[] data, InetAddress source, @Nullable InetAddress gateway, @Nullable String currentLocation) {
		if (gateway == null || !gateway.equals(source)) {
			return Notice.IGNORED;
		}
		SsdpMessage message;
		try {
			message = SsdpCodec.decode(data);
		}
		catch (MalformedMessageException ex) {
			return Notice.IGNORED;
		}
		if (message.kind() != SsdpMessage.Kind.NOTIFY) {
			return Notice.IGNORED;
		}
		String kind = message.header("NTS");
		if ("ssdp:byebye".equalsIgnoreCase(kind)) {
			if (this.saidGoodbye) {
				return Notice.IGNORED;
			}
			this.saidGoodbye = true;
			return Notice.GONE;
		}
		if (!"ssdp:alive".equalsIgnoreCase(kind)) {
			return Notice.IGNORED;
		}
		String heardBootId = message.header("BOOTID.UPNP.ORG");
		String heardLocation = message.location();
		String knownLocation = (this.location != null) ? this.location : currentLocation;
		boolean restarted = this.saidGoodbye || (this.bootId != null && heardBootId != null && !this.bootId.equals(heardBootId))
				|| (knownLocation != null && heardLocation != null && !knownLocation.equals(heardLocation));
		boolean firstSeen = this.bootId == null && this.location == null;
		this.saidGoodbye = false;
		this.bootId = Objects.requireNonNullElse(heardBootId, this.bootId);
		this.location = Objects.requireNonNullElse(heardLocation, this.location);
		if (restarted) {
			return Notice.RESTARTED;
		}
		return firstSeen ? Notice.FIRST_SEEN : Notice.ALIVE;
	}

	/** What an SSDP datagram means. */
	enum Notice {

		/** Not an announcement of the router in use. */
		IGNORED,

		/** The first announcement heard from the router. */
		FIRST_SEEN,

		/** The router is there, as it was. */
		ALIVE,

		/** The router said goodbye: it is stopping. */
		GONE,

		/** The router started again: its mappings and control URL may be gone. */
		RESTARTED

	}

}
