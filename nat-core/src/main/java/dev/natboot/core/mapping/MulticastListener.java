package dev.natboot.core.mapping;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

import dev.natboot.core.io.NatEventLoop;
import dev.natboot.core.upnp.SsdpCodec;
import org.jspecify.annotations.Nullable;

/**
 * Hears what routers multicast to their LAN when they start, stop or lose their state. Only listens.
 * <ul>
 * <li>{@link #routerAnnouncements}: 224.0.0.1:5350, PCP's unsolicited ANNOUNCE (RFC 6887 section 14.1.3) and
 * NAT-PMP's external address announcement (RFC 6886 section 3.2.1). Every IPv4 host is in the all-hosts group
 * already (RFC 1112), but the JDK turns off IP_MULTICAST_ALL on Linux, so a socket hears only groups it joined
 * itself: it joins 224.0.0.1 on each multicast interface, which sends nothing (membership of the all-hosts
 * group is never reported, RFC 2236).</li>
 * <li>{@link #ssdpNotifications}: 239.255.255.250:1900, UPnP's {@code ssdp:alive} and {@code ssdp:byebye}.
 * Joining that group is reported to the LAN, so it is joined on the gateway's interface only, and not at all
 * when the gateway is on loopback.</li>
 * </ul>
 * Datagrams go to the handler on the loop's thread, which checks who sent them.
 */
final class MulticastListener implements AutoCloseable {

	/** Where PCP and NAT-PMP servers announce, and clients listen. */
	static final int ANNOUNCEMENT_PORT = 5350;

	private static final System.Logger logger = System.getLogger(MulticastListener.class.getName());

	private final @Nullable DatagramChannel channel;

	private MulticastListener(@Nullable DatagramChannel channel) {
		this.channel = channel;
	}

	/**
	 * Listens for PCP and NAT-PMP announcements.
	 * @param loop the loop that delivers datagrams
	 * @param port the port, {@value #ANNOUNCEMENT_PORT} but in tests
	 * @param handler receives each datagram and its sender
	 * @return the listener; {@link #isListening()} says whether it could bind
	 */
	static MulticastListener routerAnnouncements(NatEventLoop loop, int port, BiConsumer<byte[], InetSocketAddress> handler) {
		return listen(loop, port, address(224, 0, 0, 1), multicastInterfaces(), handler);
	}

	/**
	 * Listens for SSDP announcements on the gateway's interface.
	 * @param loop the loop that delivers datagrams
	 * @param port the port, 1900 but in tests
	 * @param gateway the gateway, which chooses the interface
	 * @param handler receives each datagram and its sender
	 * @return the listener; {@link #isListening()} says whether it could bind
	 */
	static MulticastListener ssdpNotifications(NatEventLoop loop, int port, InetAddress gateway,
			BiConsumer<byte[], InetSocketAddress> handler) {
		InetAddress group;
		try {
			group = InetAddress.getByName(SsdpCodec.MULTICAST_HOST);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
		return listen(loop, port, group, interfaceOf(gateway), handler);
	}

	/**
	 * Binds the port and joins the group on the interfaces. Another program on this host holding the port (with
	 * exclusive use) only costs the announcements: renewals, verifications and retries still find a restarted
	 * router, later.
	 */
	private static MulticastListener listen(NatEventLoop loop, int port, InetAddress group,
			List<NetworkInterface> interfaces, BiConsumer<byte[], InetSocketAddress> handler) {
		DatagramChannel channel = null;
		try {
			channel = DatagramChannel.open(StandardProtocolFamily.INET);
			// Other clients on this host (another app, a second context, an SSDP daemon) listen on the same port.
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.bind(new InetSocketAddress(port));
			channel.configureBlocking(false);
			for (NetworkInterface candidate : interfaces) {
				try {
					channel.join(group, candidate);
				}
				catch (IOException ex) {
					logger.log(Level.DEBUG, () -> "Cannot join " + group.getHostAddress() + " on " + candidate.getName()
							+ ": " + ex);
				}
			}
			loop.register(channel, new NatEventLoop.DatagramHandler() {

				@Override
				public void received(byte[] data, SocketAddress source) {
					if (source instanceof InetSocketAddress sender) {
						handler.accept(data, sender);
					}
				}

				@Override
				public void failed(IOException failure) {
					logger.log(Level.DEBUG, () -> "Listener on port " + port + " failed: " + failure.getMessage());
				}

			});
			return new MulticastListener(channel);
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "Cannot listen on port " + port + ": " + ex);
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException ignored) {
					// nothing more to release
				}
			}
			return new MulticastListener(null);
		}
	}

	private static List<NetworkInterface> multicastInterfaces() {
		List<NetworkInterface> found = new ArrayList<>();
		try {
			for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				boolean hasIpv4 = candidate.inetAddresses().anyMatch((address) -> address instanceof Inet4Address);
				if (candidate.isUp() && candidate.supportsMulticast() && !candidate.isLoopback() && hasIpv4) {
					found.add(candidate);
				}
			}
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Cannot list network interfaces: " + ex);
		}
		return found;
	}

	/** The non-loopback interface whose IPv4 subnet holds the gateway, if there is one. */
	private static List<NetworkInterface> interfaceOf(InetAddress gateway) {
		if (!(gateway instanceof Inet4Address) || gateway.isLoopbackAddress()) {
			return List.of();
		}
		for (NetworkInterface candidate : multicastInterfaces()) {
			for (InterfaceAddress address : candidate.getInterfaceAddresses()) {
				if (address.getAddress() instanceof Inet4Address local
						&& sameSubnet(local, gateway, address.getNetworkPrefixLength())) {
					return List.of(candidate);
				}
			}
		}
		return List.of();
	}

	static boolean sameSubnet(InetAddress local, InetAddress other, int prefixLength) {
		int mask = (prefixLength <= 0) ? 0 : -1 << (32 - Math.min(prefixLength, 32));
		return (toInt(local) & mask) == (toInt(other) & mask);
	}

	private static int toInt(InetAddress address) {
		byte[] bytes = address.getAddress();
		return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
	}

	private static InetAddress address(int a, int b, int c, int d) {
		try {
			return InetAddress.getByAddress(new byte[] { (byte) a, (byte) b, (byte) c, (byte) d });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	boolean isListening() {
		return this.channel != null && this.channel.isOpen();
	}

	@Override
	public void close() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Closing the multicast listener failed", ex);
			}
		}
	}

}
