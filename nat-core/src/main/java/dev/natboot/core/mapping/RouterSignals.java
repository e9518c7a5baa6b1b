package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pcp.PcpOpcode;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.pmp.PmpExternalAddressResponse;
import dev.natboot.core.upnp.UpnpGateway;
import org.jspecify.annotations.Nullable;

/**
 * Listens to what the router says without being asked, and tells the engine what it means: PCP and NAT-PMP
 * announcements on 224.0.0.1:5350 (in modes that may use them) and UPnP's SSDP announcements on
 * 239.255.255.250:1900 (once a UPnP router is in use). Runs on the engine's loop thread only.
 * <p>
 * Anybody on the LAN can send these, with any source address: they are hints, never facts. An announcement
 * counts only from the router's own server address and port, and what it claims is never believed: it makes
 * the engine ask the router something harmless with a request of its own (PCP ANNOUNCE, NAT-PMP external
 * address), at most once per {@link RemapThrottle#WINDOW} (announcements inside the window are answered by one
 * check at its end), and only that answer's epoch and address are taken.
 * SSDP announcements count only when they name the router's own IGD; remaps they cause are bounded by the
 * engine's {@link RemapThrottle}.
 */
final class RouterSignals implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(RouterSignals.class.getName());

	private final NatEventLoop loop;

	private final PortMapperSelector selector;

	private final NatMode mode;

	private final int announcementPort;

	private final int ssdpPort;

	private final Reactions reactions;

	private final IgnoredDatagrams ignored;

	private final RouterSignalCounts counts;

	private final SignalLog signalLog;

	private final long checkPauseNanos;

	private final UpnpPresence upnpPresence = new UpnpPresence();

	private long lastCheckNanos;

	/** A check held back to the end of the window, so that a second restart soon after the first is not missed. */
	private NatEventLoop.@Nullable Timer deferredCheck;

	private @Nullable MulticastListener announcements;

	private @Nullable MulticastListener ssdpNotifications;

	private @Nullable InetAddress upnpDevice;

	/** How the UPnP router last in use names itself; kept while its mapper is dropped after a goodbye. */
	private UpnpGateway.@Nullable Identity upnpIdentity;

	/**
	 * Creates the listeners' owner; nothing listens before {@link #listenForAnnouncements()}.
	 * @param announcementPort PCP/NAT-PMP announcement port, 0 not to listen
	 * @param ssdpPort SSDP announcement port, 0 not to listen
	 * @param checkPause shortest time between two checks that announcements cause
	 */
	RouterSignals(NatEventLoop loop, PortMapperSelector selector, NatMode mode, int announcementPort, int ssdpPort,
			Duration checkPause, Reactions reactions, IgnoredDatagrams ignored, RouterSignalCounts counts,
			SignalLog signalLog) {
		this.loop = loop;
		this.selector = selector;
		this.mode = mode;
		this.announcementPort = announcementPort;
		this.ssdpPort = ssdpPort;
		this.checkPauseNanos = checkPause.toNanos();
		this.lastCheckNanos = System.nanoTime() - this.checkPauseNanos;
		this.reactions = reactions;
		this.ignored = ignored;
		this.counts = counts;
		this.signalLog = signalLog;
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
		if (mapper instanceof UpnpPortMapper upnp) {
			this.upnpIdentity = upnp.identity();
		}
		if (this.ssdpNotifications == null && this.ssdpPort > 0) {
			this.ssdpNotifications = MulticastListener.ssdpNotifications(this.loop, this.ssdpPort, gateway.getAddress(),
					(data, source) -> notified(data, source.getAddress()));
		}
	}

	private void announced(byte[] data, InetSocketAddress source) {
		InetSocketAddress server = this.selector.announcingServer();
		if (server == null || !server.equals(source)) {
			this.ignored.count(IgnoredDatagrams.Reason.FOREIGN);
			return;
		}
		if (!isAnnouncement(data)) {
			this.ignored.count(IgnoredDatagrams.Reason.NOT_THE_ROUTERS);
			return;
		}
		long wait = this.lastCheckNanos + this.checkPauseNanos - System.nanoTime();
		if (wait > 0 || this.deferredCheck != null) {
			this.counts.count(RouterSignalCounts.Signal.ANNOUNCEMENT, RouterSignalCounts.Outcome.SUPPRESSED);
			if (this.deferredCheck == null) {
				this.deferredCheck = this.loop.scheduleNanos(() -> {
					this.deferredCheck = null;
					check();
				}, wait);
			}
			return;
		}
		this.counts.count(RouterSignalCounts.Signal.ANNOUNCEMENT, RouterSignalCounts.Outcome.ACTED);
		check();
	}

	/** Asks the router in use, with a request of its own, whether what was announced is true. */
	private void check() {
		this.lastCheckNanos = System.nanoTime();
		PortMapper mapper = this.selector.selected();
		if (mapper == null || (mapper.protocol() != NatProtocol.PCP && mapper.protocol() != NatProtocol.NAT_PMP)) {
			// No PCP or NAT-PMP router in use (still probing, or it failed): a router announcing itself is worth a
			// retry of what failed, within the throttle.
			this.reactions.routerAnswered(null);
			return;
		}
		// The probe's answer goes through the router's epoch tracker: a restart it shows remaps everything.
		mapper.probe().whenComplete((probe, failure) -> {
			if (failure != null) {
				logger.log(Level.DEBUG, () -> "Router did not answer the check an announcement caused: "
						+ failure.getMessage());
			}
			else if (probe.keptState()) {
				this.reactions.routerAnswered(probe.externalAddress());
			}
			// else the epoch tracker has already told the engine that the router lost its mappings
		});
	}

	/** A PCP ANNOUNCE response or a NAT-PMP external address response, with success. */
	private static boolean isAnnouncement(byte[] data) {
		if (data.length == 0) {
			return false;
		}
		try {
			if (data[0] == PcpCodec.VERSION) {
				PcpResponse response = PcpCodec.decodeResponse(data);
				return response.opcode() == PcpOpcode.ANNOUNCE && response.result() == PcpResultCode.SUCCESS;
			}
			return data[0] == PmpCodec.VERSION && PmpCodec.decodeResponse(data) instanceof PmpExternalAddressResponse;
		}
		catch (MalformedMessageException ex) {
			return false;
		}
	}

	private void notified(byte[] data, InetAddress source) {
		if (this.selector.selected() instanceof UpnpPortMapper upnp) {
			this.upnpIdentity = upnp.identity();
		}
		UpnpPresence.Notice notice = this.upnpPresence.heard(data, source, this.upnpDevice, this.upnpIdentity);
		switch (notice) {
			case FOREIGN -> this.ignored.count(IgnoredDatagrams.Reason.FOREIGN);
			case MALFORMED -> this.ignored.count(IgnoredDatagrams.Reason.MALFORMED);
			case NOT_THE_ROUTERS -> this.ignored.count(IgnoredDatagrams.Reason.NOT_THE_ROUTERS);
			case ALIVE -> this.counts.count(RouterSignalCounts.Signal.SSDP_ALIVE, RouterSignalCounts.Outcome.NOTHING_NEW);
			case GONE -> {
				this.counts.count(RouterSignalCounts.Signal.SSDP_BYEBYE, RouterSignalCounts.Outcome.ACTED);
				this.signalLog.log(SignalLog.Kind.UPNP_GOODBYE, Level.INFO,
						"UPnP router " + source.getHostAddress() + " said goodbye; waiting for it");
				this.selector.discardUpnp();
			}
			case RESTARTED -> {
				this.counts.count(RouterSignalCounts.Signal.SSDP_ALIVE, RouterSignalCounts.Outcome.ACTED);
				this.signalLog.log(SignalLog.Kind.UPNP_RESTART, Level.INFO,
						"UPnP router " + source.getHostAddress() + " started again: mapping again");
				// Its control URL may have moved: read the description again before the next request.
				this.selector.discardUpnp();
				this.reactions.routerRestarted();
			}
		}
	}

	@Override
	public void close() {
		NatEventLoop.Timer deferred = this.deferredCheck;
		if (deferred != null) {
			deferred.cancel();
		}
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

		/**
		 * The router answered a check an announcement caused, and its epoch showed no restart.
		 * @param externalAddress the external address it reported, {@code null} if the check does not tell
		 */
		void routerAnswered(@Nullable InetAddress externalAddress);

		/** The router's UPnP service announced a restart: every mapping may be gone. */
		void routerRestarted();

	}

}
