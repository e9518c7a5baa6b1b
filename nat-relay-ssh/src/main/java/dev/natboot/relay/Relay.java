package dev.natboot.relay;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A relay that makes a local server reachable at a public endpoint on a relay server. Implementations keep it up
 * on their own threads (reconnect with backoff) between {@link #open} and {@link #release}.
 */
public interface Relay extends AutoCloseable {

	/**
	 * Starts relaying to the server at {@code target}, now and after every loss, until released. Returns at once.
	 * @param target the local server (an address of this host and its port)
	 */
	void open(InetSocketAddress target);

	/**
	 * Takes the relay down (the forward cancelled, the connection closed) without closing it for good: it can be
	 * opened again. Returns at once; the teardown happens on the relay's thread.
	 */
	void release();

	/** @return the relay as it stands */
	RelayState state();

	/**
	 * Whether a connection to the local server came through the relay, told by its peer as the local server sees
	 * it: relayed connections come from this host, and must still count as from the internet.
	 * @param peer the connection's peer address and port, as the local server saw them
	 * @return true when the relay opened that connection
	 */
	boolean isRelayed(InetSocketAddress peer);

	void addListener(RelayListener listener);

	void removeListener(RelayListener listener);

	/**
	 * Closes for good, waiting at most the timeout for the server to hear it (the forward cancelled); then the
	 * connection is dropped whatever the server does.
	 * @param timeout the longest wait
	 */
	void close(Duration timeout);

	@Override
	default void close() {
		close(Duration.ofSeconds(2));
	}

}
