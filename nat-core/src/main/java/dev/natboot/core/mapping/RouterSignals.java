package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Listens to what the router says without being asked, and tells the engine what it means: PCP and NAT-PMP
 * announcements on 224.0.0.1:5350 (in modes that may use them) and UPnP's SSDP announcements on
 * 239.255.255.250:1900 (once a UPnP router is in use). Runs on the engine's loop thread only.
 */
final class RouterSignals implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(RouterSignals.class.getName());

	/** A router repeats its announcements: refreshing every mapping once per burst is enough. */
	private static final long REFRESH_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final NatEventLoop loop;

	private final PortMapperSelector selector;

	private final NatMode mode;

	private final int announcementPort;

	private final int ssdpPort;

	private final Reactions reactions;

	private final UpnpPresence upnpPresence = new UpnpPresence();

	private long lastRefresh = System.nanoTime() - REFRESH_PAUSE_NANOS;

	private @Nullable MulticastListener announcements;

	private @Nullable MulticastListener ssdpNotifications;

	private @Nullable InetAddress upnpDevice;

	/**
	 * Creates the listeners' owner; nothing listens before {@link #listenForAnnouncements()}.
	 * @param announcementPort PCP/NAT-PMP announcement port, 0 not to listen
	 * @param ssdpPort SSDP announcement port, 0 not to listen
	 */
	RouterSignals(NatEventLoop loop, PortMapperSelector selector, NatMode mode, int announcementPort, int ssdpPort,
			Reactions reactions) {
		this.loop = loop;
		this.selector = selector;
		this.mode = mode;
		this.announcementPort = announcementPort;
		this.ssdpPort = ssdpPort;
		this.reactions = reactions;
	}

	/** Starts hearing PCP and NAT-PMP announcements, once, in modes that may use either. */
	void listenForAnnouncements() {
		NatMode.Kind kind = this.mode.kind();
		boolean speaksPcpOrPmp = kind == NatMode.Kind.ANY || kind == NatMode.Kind.PCP || kind == NatMode.Kind.PMP;
		if (this.announcements == null && speaksPcpOrPmp && this.announcementPort > 0) {
			this.announcements = MulticastListener.routerAnnouncements(this.loop, this.announcementPort, this::announced);
		}
	}

	/**
	 * Starts hearing SSDP announcements once a UPnP router is in use.
	 * @param mapper the mapper just selected
	 */
	void inUse(PortMapper mapper) {
		InetSocketAddress gateway = mapper.gateway();
		if (mapper.protocol() != NatProtocol.UPNP || gateway == null) {
			return;
		}
		this.upnpDevice = gateway.getAddress();
		if (this.ssdpNotifications == null && this.ssdpPort > 0) {
			this.ssdpNotifications = MulticastListener.ssdpNotifications(this.loop, this.ssdpPort, gateway.getAddress(),
					this::notified);
		}
	}

	/**
	 * An announcement with a valid epoch still means the router (re)started or changed: some keep their epoch
	 * across a restart of the daemon alone. Renewing everything now costs one round trip per mapping and
	 * recreates what was lost.
	 */
	private void announced(byte[] data, InetAddress source) {
		if (this.selector.announced(data, source) == PortMapperSelector.Announcement.ALIVE && refreshDue()) {
			this.reactions.refreshAll();
		}
	}

	private void notified(byte[] data, InetAddress source) {
		PortMapper current = this.selector.selected();
		String location = (current instanceof UpnpPortMapper upnp) ? upnp.location() : null;
		switch (this.upnpPresence.heard(data, source, this.upnpDevice, location)) {
			case GONE -> {
				logger.log(Level.INFO, "UPnP router " + source.getHostAddress() + " said goodbye; waiting for it");
				this.selector.discardUpnp();
			}
			case RESTARTED -> {
				logger.log(Level.INFO, "UPnP router " + source.getHostAddress() + " started again: mapping again");
				// Its control URL may have moved: read the description again before the next request.
				this.selector.discardUpnp();
				this.lastRefresh = System.nanoTime();
				this.reactions.refreshAll();
			}
			default -> {
				// the router's periodic announcement, or somebody else's
			}
		}
	}

	private boolean refreshDue() {
		long now = System.nanoTime();
		if (now - this.lastRefresh < REFRESH_PAUSE_NANOS) {
			return false;
		}
		this.lastRefresh = now;
		return true;
	}

	@Override
	public void close() {
		MulticastListener listening = this.announcements;
		if (listening != null) {
			listening.close();
		}
		listening = this.ssdpNotifications;
		if (listening != null) {
			listening.close();
		}
	}

	/** What the engine does when the router speaks. */
	interface Reactions {

		/** Map every mapping again now, without waiting for renewals or backoff. */
		void refreshAll();

	}

}
