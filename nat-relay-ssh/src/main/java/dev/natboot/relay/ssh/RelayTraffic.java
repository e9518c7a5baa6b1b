package dev.natboot.relay.ssh;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The relayed connections to the local server: counted, and known by the local end of each, which is the peer
 * the local server sees. A connection is registered before its first byte is passed on, so the server never
 * reads a relayed request that it cannot tell as relayed.
 */
final class RelayTraffic {

	/** Each open connection by its local end, with what it has sent so far. */
	private final Map<InetSocketAddress, LongSupplier> open = new ConcurrentHashMap<>();

	private final AtomicLong connections = new AtomicLong();

	private final AtomicLong bytesIn = new AtomicLong();

	private final AtomicLong bytesOut = new AtomicLong();

	void opened(SocketAddress localEnd, LongSupplier sentSoFar) {
		if (localEnd instanceof InetSocketAddress address && this.open.put(address, sentSoFar) == null) {
			this.connections.incrementAndGet();
		}
	}

	void closed(SocketAddress localEnd) {
		LongSupplier sent = this.open.remove(localEnd);
		if (sent != null) {
			this.bytesOut.addAndGet(sent.getAsLong());
		}
	}

	boolean isRelayed(InetSocketAddress peer) {
		return this.open.containsKey(peer);
	}

	void in(long bytes) {
		this.bytesIn.addAndGet(bytes);
	}

	long connections() {
		return this.connections.get();
	}

	int openConnections() {
		return this.open.size();
	}

	long bytesIn() {
		return this.bytesIn.get();
	}

	long bytesOut() {
		long total = this.bytesOut.get();
		for (LongSupplier sent : this.open.values()) {
			total += sent.getAsLong();
		}
		return total;
	}

}
