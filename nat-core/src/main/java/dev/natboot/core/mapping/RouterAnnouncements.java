package dev.natboot.core.mapping;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.function.BiConsumer;

import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Hears what routers announce to 224.0.0.1:5350 when they start or lose their state: PCP's unsolicited
 * ANNOUNCE (RFC 6887 section 14.1.3) and NAT-PMP's external address announcement (RFC 6886 section 3.2.1).
 * Only listens. Every IPv4 host is in the all-hosts group already (RFC 1112), but the JDK turns off
 * IP_MULTICAST_ALL on Linux, so a socket hears only groups it joined itself: it joins 224.0.0.1 on each
 * multicast interface, which sends nothing (membership of the all-hosts group is never reported, RFC 2236).
 * Datagrams go to the handler on the loop's thread, which checks who sent them.
 */
final class RouterAnnouncements implements AutoCloseable {

	/** Where PCP and NAT-PMP servers announce, and clients listen. */
	static final int CLIENT_PORT = 5350;

	private static final System.Logger logger = System.getLogger(RouterAnnouncements.class.getName());

	private final @Nullable DatagramChannel channel;

	private RouterAnnouncements(@Nullable DatagramChannel channel) {
		this.channel = channel;
	}

	/**
	 * Starts listening. Another program on this host holding the port (with exclusive use) only costs the
	 * announcements: renewals and retries still find a restarted router, later.
	 * @param loop the loop that delivers datagrams
	 * @param port the port, {@value #CLIENT_PORT} but in tests
	 * @param handler receives each datagram and its sender
	 * @return the listener; {@link #isListening()} says whether it could bind
	 */
	static RouterAnnouncements listen(NatEventLoop loop, int port, BiConsumer<byte[], InetAddress> handler) {
		DatagramChannel channel = null;
		try {
			channel = DatagramChannel.open(StandardProtocolFamily.INET);
			// Other PCP clients on this host (another app, a second context) listen on the same port.
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.bind(new InetSocketAddress(port));
			channel.configureBlocking(false);
			joinAllHosts(channel);
			loop.register(channel, new NatEventLoop.DatagramHandler() {

				@Override
				public void received(byte[] data, SocketAddress source) {
					if (source instanceof InetSocketAddress sender) {
						handler.accept(data, sender.getAddress());
					}
				}

				@Override
				public void failed(IOException failure) {
					logger.log(Level.DEBUG, () -> "Announcement listener failed: " + failure.getMessage());
				}

			});
			return new RouterAnnouncements(channel);
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "Cannot listen for router announcements on port " + port + ": " + ex);
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException ignored) {
					// nothing more to release
				}
			}
			return new RouterAnnouncements(null);
		}
	}

	private static void joinAllHosts(DatagramChannel channel) throws IOException {
		InetAddress allHosts = InetAddress.getByAddress(new byte[] { (byte) 224, 0, 0, 1 });
		for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			boolean hasIpv4 = candidate.inetAddresses().anyMatch((address) -> address instanceof Inet4Address);
			if (candidate.isUp() && candidate.supportsMulticast() && !candidate.isLoopback() && hasIpv4) {
				try {
					channel.join(allHosts, candidate);
				}
				catch (IOException ex) {
					logger.log(Level.DEBUG, () -> "Cannot hear announcements on " + candidate.getName() + ": " + ex);
				}
			}
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
				logger.log(Level.DEBUG, "Closing the announcement listener failed", ex);
			}
		}
	}

}
