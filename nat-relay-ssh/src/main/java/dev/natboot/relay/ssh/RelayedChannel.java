package dev.natboot.relay.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;

/**
 * A connection the relay server forwards ({@code forwarded-tcpip}, RFC 4254 7.2), passed on to the local server as
 * MINA does, and registered in {@link RelayTraffic} by its local end as soon as the local connection exists,
 * before the channel is confirmed and any data flows.
 */
final class RelayedChannel extends TcpipServerChannel {

	private final RelayTraffic traffic;

	/** What the server allowed us to send so far: adjustments plus the initial window. */
	private final AtomicLong windowGranted = new AtomicLong();

	private volatile long initialWindow = -1;

	RelayedChannel(RelayTraffic traffic) {
		super(TcpForwardingFilter.Type.Forwarded, null);
		this.traffic = traffic;
	}

	@Override
	protected void handleChannelOpenSuccess(OpenFuture future, IoSession session) {
		SocketAddress localEnd = session.getLocalAddress();
		this.initialWindow = getRemoteWindow().getSize();
		this.traffic.opened(localEnd, this::sent);
		addCloseFutureListener((closed) -> this.traffic.closed(localEnd));
		super.handleChannelOpenSuccess(future, session);
	}

	@Override
	protected void doWriteData(byte[] data, int off, long len) throws IOException {
		this.traffic.in(len);
		super.doWriteData(data, off, len);
	}

	@Override
	public void handleWindowAdjust(Buffer buffer) throws IOException {
		int position = buffer.rpos();
		if (buffer.available() >= 4) {
			this.windowGranted.addAndGet(buffer.getUInt());
			buffer.rpos(position);
		}
		super.handleWindowAdjust(buffer);
	}

	/** Bytes sent to the relay server: counted from the flow-control window, which every data packet consumes. */
	private long sent() {
		long initial = this.initialWindow;
		return (initial < 0) ? 0 : Math.max(0, initial + this.windowGranted.get() - getRemoteWindow().getSize());
	}

	/** Creates {@link RelayedChannel}s in place of MINA's own {@code forwarded-tcpip} channels. */
	static final class Factory implements ChannelFactory {

		private final RelayTraffic traffic;

		Factory(RelayTraffic traffic) {
			this.traffic = traffic;
		}

		@Override
		public String getName() {
			return TcpForwardingFilter.Type.Forwarded.getName();
		}

		@Override
		public Channel createChannel(Session session) {
			return new RelayedChannel(this.traffic);
		}

	}

}
