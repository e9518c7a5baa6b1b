package dev.natboot.relay.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.util.List;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.forward.ChannelToPortHandler;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.jspecify.annotations.Nullable;

/**
 * A connection the relay server forwards ({@code forwarded-tcpip}, RFC 4254 7.2), passed on to the local server
 * and registered in {@link RelayTraffic} by its local end as soon as the local connection exists, before the
 * channel is confirmed and any data flows.
 *
 * <p>
 * natboot's own rather than MINA's {@code TcpipServerChannel}, which reads the local connection's next buffer only
 * once the previous one is on the SSH connection's socket, sending it one packet at a time, each after the
 * previous write completed: reading, encryption and sending never overlapped, and a download through the relay
 * ran 25-32 % below {@code ssh -R}. Here {@link LocalToRelay} keeps the local connection read while earlier data is
 * encrypted and sent. Data from the relay server goes to the local connection through MINA's
 * {@link ChannelToPortHandler}, which gives the window back as the local server takes the data.
 */
final class RelayedChannel extends AbstractServerChannel {

	private final RelayTraffic traffic;

	private volatile @Nullable IoConnector connector;

	private volatile @Nullable ChannelToPortHandler toLocal;

	private volatile @Nullable LocalToRelay toRelay;

	RelayedChannel(RelayTraffic traffic) {
		super("", List.of(), null);
		this.traffic = traffic;
	}

	@Override
	protected OpenFuture doInit(Buffer buffer) {
		buffer.getString(); // the address the relay server accepted the connection on: ours, we asked for it
		int forwardedPort = buffer.getInt();
		// The originator's address and port follow: the local server learns nothing from them.
		OpenFuture opened = new DefaultOpenFuture(this, this);
		Session session = getSession();
		FactoryManager manager = session.getFactoryManager();
		SshdSocketAddress target = this.service.getForwarder().getForwardedPort(forwardedPort);
		TcpForwardingFilter filter = manager.getTcpForwardingFilter();
		if (target == null || filter == null
				|| !filter.canConnect(TcpForwardingFilter.Type.Forwarded, target, session)) {
			// A port we never asked the server to forward: nothing to connect it to.
			opened.setException(new SshChannelOpenException(getChannelId(),
					SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "Connection denied"));
			close(true);
			return opened;
		}
		IoConnector localConnector = manager.getIoServiceFactory().createConnector(new LocalEnd());
		this.connector = localConnector;
		localConnector.connect(target.toInetSocketAddress(), null, null)
			.addListener((connecting) -> connected(opened, connecting));
		return opened;
	}

	private void connected(OpenFuture opened, IoConnectFuture connecting) {
		if (!connecting.isConnected()) {
			Throwable problem = connecting.getException();
			signalChannelOpenFailure(problem);
			opened.setException((problem instanceof ConnectException) ? new SshChannelOpenException(getChannelId(),
					SshConstants.SSH_OPEN_CONNECT_FAILED, problem.getMessage(), problem) : problem);
			close(true);
			return;
		}
		IoSession session = connecting.getSession();
		if (isClosing()) {
			// The SSH session went while the local server was being connected to: nobody to relay for.
			session.close(true);
			return;
		}
		LocalToRelay outbound = new LocalToRelay(this, session);
		this.toRelay = outbound;
		this.toLocal = new ChannelToPortHandler(session, this);
		SocketAddress localEnd = session.getLocalAddress();
		this.traffic.opened(localEnd, outbound::sent);
		addCloseFutureListener((closed) -> this.traffic.closed(localEnd));
		try {
			signalChannelOpenSuccess();
			opened.setOpened();
		}
		catch (RuntimeException ex) {
			signalChannelOpenFailure(ex);
			opened.setException(ex);
			close(true);
			return;
		}
		if (opened.isCanceled()) {
			close(false);
		}
		else {
			// The confirmation is on its way (the future's listener sent it): data may follow it now.
			session.resumeRead();
		}
	}

	@Override
	public void handleWindowAdjust(Buffer buffer) throws IOException {
		super.handleWindowAdjust(buffer);
		LocalToRelay outbound = this.toRelay;
		if (outbound != null) {
			outbound.windowExpanded();
		}
	}

	@Override
	protected void doWriteData(byte[] data, int off, long len) throws IOException {
		ChannelToPortHandler inbound = this.toLocal;
		if (inbound == null) {
			throw new IOException("Data from the relay server before the local connection was open");
		}
		this.traffic.in(len);
		inbound.sendToPort(SshConstants.SSH_MSG_CHANNEL_DATA, data, off, len);
	}

	/** A forwarded TCP connection carries no extended data (RFC 4254 5.2 is for sessions' standard error). */
	@Override
	protected void doWriteExtendedData(byte[] data, int off, long len) {
		close(false);
	}

	@Override
	public void handleEof() throws IOException {
		super.handleEof();
		ChannelToPortHandler inbound = this.toLocal;
		if (inbound != null) {
			inbound.handleEof();
		}
	}

	/** Everything the local server sent is with the SSH session: end of data, then the channel's close. */
	void localServerFinished() {
		try {
			ThreadUtils.runAsInternal(this, RelayedChannel::sendEof);
		}
		catch (IOException ex) {
			close(true);
			return;
		}
		close(false);
	}

	/**
	 * The server's CLOSE, in answer to ours (the local server closed first, as an HTTP/1.0 server or a
	 * {@code Connection: close} answer does): nothing else is due to the server, so its packet would be ACKed only
	 * after the kernel's delayed-ACK timer (40 ms), and OpenSSH, whose connection keeps Nagle's algorithm on,
	 * holds back the next connection's CHANNEL_OPEN until that ACK. An SSH_MSG_IGNORE (RFC 4253 11.2) carries the
	 * ACK at once: measured in the lab, the time to first byte of a new relayed connection drops from about 35 ms
	 * to that of OpenSSH's own client.
	 */
	@Override
	public void handleClose() throws IOException {
		boolean answersOurClose = isClosing();
		super.handleClose();
		if (answersOurClose) {
			try {
				getSession().sendIgnoreMessage();
			}
			catch (IOException | RuntimeException ex) {
				// the session is going: nothing to hold back any more
			}
		}
	}

	@Override
	protected Closeable getInnerCloseable() {
		// The channel's CLOSE exchange, then the local connection (gracefully: what the relay server sent is
		// written out first) and its connector.
		ChannelToPortHandler inbound = this.toLocal;
		return builder().close(super.getInnerCloseable())
			.sequential((inbound != null) ? inbound.getPortSession() : null, this.connector)
			.build();
	}

	/** The local connection's events. */
	private final class LocalEnd implements IoHandler {

		@Override
		public void sessionCreated(IoSession session) {
			// Not a byte to the relay server before its channel is confirmed.
			session.suspendRead();
		}

		@Override
		public void messageReceived(IoSession session, Readable message) {
			LocalToRelay outbound = RelayedChannel.this.toRelay;
			if (outbound != null) {
				outbound.received(message);
			}
		}

		@Override
		public void sessionClosed(IoSession session) {
			LocalToRelay outbound = RelayedChannel.this.toRelay;
			if (outbound != null) {
				outbound.localEnded();
			}
			else {
				close(false);
			}
		}

		@Override
		public void exceptionCaught(IoSession session, Throwable cause) {
			close(!session.isOpen());
		}

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
