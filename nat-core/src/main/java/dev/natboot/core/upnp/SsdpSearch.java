package dev.natboot.core.upnp;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Finds the Internet Gateway Device that is the gateway, with M-SEARCH sent both to the gateway itself and to
 * the SSDP multicast group: for IGD v2 and IGD v1 at once, then for {@code ssdp:all} if the gateway has not
 * answered after a moment. (Asking for everything at once floods a router's queue of delayed answers:
 * miniupnpd's IGD answer then comes after 300 ms instead of 55 ms.) Only the gateway's answer is used:
 * answers from any other device are reported and ignored (a rogue device must not be mistaken for the
 * router). Answers are accepted from any source port; the search ends with the gateway's first answer, and
 * unicast searches are repeated within a short LAN-sized window.
 */
public final class SsdpSearch {

	private static final int MAX_REPORTED_OTHERS = 64;

	private static final Set<String> REPORTED_OTHERS = ConcurrentHashMap.newKeySet();

	private static final System.Logger logger = System.getLogger(SsdpSearch.class.getName());

	private static final Pattern IGD_TARGET = Pattern.compile(
			"urn:(?:schemas-upnp-org|dslforum-org):(device:(InternetGatewayDevice|WANDevice|WANConnectionDevice)"
					+ "|service:WAN(IP|PPP)Connection):\\d+",
			Pattern.CASE_INSENSITIVE);

	private static final List<String> IGD_TARGETS = List.of(SsdpCodec.IGD_V2, SsdpCodec.IGD_V1);

	private static final List<String> ALL_TARGETS = List.of("ssdp:all");

	/** When the broader search goes out, and when the gateway is asked again, while it is silent. */
	private static final Duration BROADEN_AFTER = Duration.ofMillis(120);

	private static final Duration RESEND_AFTER = Duration.ofMillis(400);

	private SsdpSearch() {
	}

	/**
	 * Searches for the gateway's IGD.
	 * @param loop the loop that runs the search
	 * @param gateway the gateway's address and SSDP port (normally 1900)
	 * @param window how long to wait for the gateway
	 * @return the gateway's answer, with its description URL pinned to the gateway
	 */
	public static CompletableFuture<Answer> find(NatEventLoop loop, InetSocketAddress gateway, Duration window) {
		return find(loop, null, gateway, window, gateway.getAddress()::equals);
	}

	/**
	 * Searches for the gateway's IGD, taking an answer from any address the caller counts as the gateway's: an
	 * IPv6 router asked at its link-local address answers from its global one. The description URL is pinned to
	 * the address that answered.
	 * @param loop the loop that runs the search
	 * @param localAddress the address to search from, {@code null} for the kernel's choice: for IPv6 the stable
	 * address, since the kernel's (a temporary one, perhaps still tentative) may not get the answer
	 * @param gateway where to send the search (unicast only for IPv6)
	 * @param window how long to wait for the gateway
	 * @param fromGateway whether an answer from an address is the gateway's
	 * @return the gateway's answer
	 */
	public static CompletableFuture<Answer> find(NatEventLoop loop, @Nullable InetAddress localAddress,
			InetSocketAddress gateway, Duration window, Predicate<InetAddress> fromGateway) {
		CompletableFuture<Answer> result = new CompletableFuture<>();
		DatagramChannel channel;
		try {
			channel = DatagramChannel.open();
			channel.configureBlocking(false);
			channel.bind((localAddress != null) ? new InetSocketAddress(localAddress, 0) : null);
		}
		catch (IOException ex) {
			return CompletableFuture.failedFuture(new NatException(NatErrorKind.IO_ERROR, NatProtocol.UPNP,
					NatException.NO_ROUTER_CODE, "Cannot open an SSDP socket: " + ex.getMessage(), ex));
		}
		loop.register(channel, new NatEventLoop.DatagramHandler() {

			@Override
			public void received(byte[] data, SocketAddress source) {
				InetAddress from = ((InetSocketAddress) source).getAddress();
				SsdpMessage message;
				try {
					message = SsdpCodec.decode(data);
				}
				catch (MalformedMessageException ex) {
					logger.log(Level.DEBUG, () -> "Ignoring malformed SSDP datagram from " + source + ": " + ex.getMessage());
					return;
				}
				if (message.kind() != SsdpMessage.Kind.SEARCH_RESPONSE || message.location() == null) {
					return;
				}
				if (!fromGateway.test(from)) {
					if (isIgd(message) && firstTimeSeen(from)) {
						logger.log(Level.INFO, () -> "Ignoring UPnP gateway " + from.getHostAddress()
								+ ", which is not this host's gateway " + gateway.getAddress().getHostAddress()
								+ "; set nat.mode=upnp:" + from.getHostAddress() + " to use it");
					}
					return;
				}
				if (!result.isDone() && isIgd(message)) {
					// A zoned (link-local) IPv6 address cannot be a URL's host: such an answer is not used.
					boolean zoned = from instanceof Inet6Address v6 && v6.getScopeId() != 0;
					URI location = zoned ? null : IgdDescriptionParser.pin(
							URI.create("http://" + IpLiteral.endpoint(from, 80) + "/"), String.valueOf(message.location()),
							from);
					if (location == null) {
						logger.log(Level.DEBUG, () -> "Ignoring SSDP answer with unusable LOCATION " + message.location());
						return;
					}
					result.complete(new Answer(from, location, String.valueOf(message.target()), message.header("SERVER"),
							String.valueOf(message.location()), message.usn(), message.header("BOOTID.UPNP.ORG")));
				}
			}

			@Override
			public void failed(IOException failure) {
				logger.log(Level.DEBUG, "SSDP receive failed", failure);
			}

		});
		// Multicast reaches the gateway's LAN; a gateway on loopback (a test's fake router) has none, and a
		// search must never leave this host then.
		boolean multicast = !gateway.getAddress().isLoopbackAddress() && gateway.getAddress() instanceof Inet4Address;
		loop.execute(() -> {
			send(channel, gateway, IGD_TARGETS, multicast);
			loop.schedule(() -> {
				if (!result.isDone()) {
					send(channel, gateway, ALL_TARGETS, multicast);
				}
			}, BROADEN_AFTER);
			loop.schedule(() -> {
				if (!result.isDone()) {
					send(channel, gateway, IGD_TARGETS, false);
				}
			}, RESEND_AFTER);
			loop.schedule(() -> result.completeExceptionally(new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.UPNP,
					"No UPnP Internet Gateway Device answered at " + gateway.getAddress().getHostAddress() + " within "
							+ window.toMillis() + " ms")), window);
		});
		// Other devices keep answering multicast searches for up to MX seconds: listen a little longer, to
		// report them, then close.
		result.whenComplete((answer, failure) -> loop.schedule(() -> close(channel), Duration.ofMillis(300)));
		return result;
	}

	private static boolean isIgd(SsdpMessage message) {
		String target = message.target();
		String usn = message.usn();
		return (target != null && IGD_TARGET.matcher(target).find()) || (usn != null && IGD_TARGET.matcher(usn).find());
	}

	/**
	 * Whether another host's gateway is news: said once per address, not at every search of every retry.
	 * Bounded, as a hostile LAN can answer from many addresses.
	 */
	private static boolean firstTimeSeen(InetAddress other) {
		return REPORTED_OTHERS.size() < MAX_REPORTED_OTHERS && REPORTED_OTHERS.add(other.getHostAddress());
	}

	/** HOST as HTTP writes it: an IPv6 literal in brackets, without the zone, which only this host knows. */
	private static String hostHeader(InetSocketAddress gateway) {
		InetAddress address = gateway.getAddress();
		if (address instanceof Inet6Address) {
			try {
				address = InetAddress.getByAddress(address.getAddress());
			}
			catch (java.net.UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return IpLiteral.endpoint(address, gateway.getPort());
	}

	private static void send(DatagramChannel channel, InetSocketAddress gateway, List<String> targets,
			boolean withMulticast) {
		String unicastHost = hostHeader(gateway);
		InetSocketAddress group = new InetSocketAddress(SsdpCodec.MULTICAST_HOST, SsdpCodec.PORT);
		for (String target : targets) {
			sendTo(channel, SsdpCodec.mSearch(target, unicastHost, 0), gateway);
			if (withMulticast) {
				sendTo(channel, SsdpCodec.mSearch(target, SsdpCodec.MULTICAST_HOST + ":" + SsdpCodec.PORT, 1), group);
			}
		}
	}

	private static void sendTo(DatagramChannel channel, byte[] datagram, InetSocketAddress target) {
		try {
			channel.send(ByteBuffer.wrap(datagram), target);
		}
		catch (IOException ex) {
			// A host without a multicast route cannot send to the group; the unicast search still works.
			logger.log(Level.DEBUG, () -> "M-SEARCH to " + target + " failed: " + ex.getMessage());
		}
	}

	private static void close(DatagramChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Closing SSDP socket failed", ex);
		}
	}

	/**
	 * The gateway's answer.
	 *
	 * @param device the gateway
	 * @param location its description, pinned to its address
	 * @param searchTarget what it answered to
	 * @param server its SERVER header
	 * @param rawLocation its LOCATION header as it wrote it, which its announcements repeat word for word
	 * @param usn its USN header, naming the device's UUID
	 * @param bootId its BOOTID.UPNP.ORG header (UDA 1.1), which changes at every boot
	 */
	public record Answer(InetAddress device, URI location, String searchTarget, @Nullable String server,
			String rawLocation, @Nullable String usn, @Nullable String bootId) {

		/**
		 * An answer with no more than a LOCATION, as from UDA 1.0 devices.
		 * @param device the gateway
		 * @param location its description, pinned to its address
		 * @param searchTarget what it answered to
		 * @param server its SERVER header
		 */
		public Answer(InetAddress device, URI location, String searchTarget, @Nullable String server) {
			this(device, location, searchTarget, server, location.toString(), null, null);
		}

	}

}
