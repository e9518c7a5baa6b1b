package dev.natboot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.ice.IceCandidate;
import dev.natboot.core.ice.IceCandidateType;
import dev.natboot.core.ice.IceDescription;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.StunCandidateHarvester;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;

/**
 * ice4j (Jitsi's ICE library, the JVM's best known) as a lab peer with the protocol of {@code natboot-cli ice} and
 * lab/aioice-peer.py: prints its description in RFC 8839's lines, reads the peer's, connects, prints
 * {@code connected in N ms local=TYPE remote=TYPE} (from the peer's description known to the selected pair),
 * sends {@code hello from ice4j}, prints what it receives as {@code < TEXT}. Never run outside the lab.
 *
 * <pre>Ice4jPeer controlling|controlled [--stun HOST] [--turn HOST USER PASSWORD]</pre>
 */
public final class Ice4jPeer {

	private Ice4jPeer() {
	}

	public static void main(String[] args) throws Exception {
		Agent agent = new Agent();
		agent.setControlling(args[0].equals("controlling"));
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--stun")) {
				agent.addCandidateHarvester(new StunCandidateHarvester(new TransportAddress(args[++i], 3478, Transport.UDP)));
			}
			else if (args[i].equals("--turn")) {
				TransportAddress server = new TransportAddress(args[++i], 3478, Transport.UDP);
				agent.addCandidateHarvester(new TurnCandidateHarvester(server,
						new LongTermCredential(args[++i], args[++i])));
			}
		}
		IceMediaStream stream = agent.createMediaStream("data");
		Component component = agent.createComponent(stream, 0, 0, 0);
		StringBuilder description = new StringBuilder();
		description.append("a=ice-ufrag:").append(agent.getLocalUfrag()).append('\n');
		description.append("a=ice-pwd:").append(agent.getLocalPassword()).append('\n');
		for (LocalCandidate candidate : component.getLocalCandidates()) {
			if (candidate.getTransport() != Transport.UDP) {
				continue;
			}
			description.append("a=candidate:").append(candidate.getFoundation()).append(" 1 UDP ")
				.append(candidate.getPriority()).append(' ').append(candidate.getTransportAddress().getHostAddress())
				.append(' ').append(candidate.getTransportAddress().getPort()).append(" typ ")
				.append(sdpType(candidate.getType()));
			TransportAddress related = candidate.getRelatedAddress();
			if (related != null) {
				description.append(" raddr ").append(related.getHostAddress()).append(" rport ").append(related.getPort());
			}
			description.append('\n');
		}
		description.append("a=end-of-candidates\n");
		System.out.print(description);
		System.out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		StringBuilder theirs = new StringBuilder();
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			theirs.append(line).append('\n');
			if (line.strip().equals("a=end-of-candidates")) {
				break;
			}
		}
		long start = System.nanoTime();
		IceDescription remote = IceDescription.parse(theirs.toString());
		stream.setRemoteUfrag(remote.credentials().ufrag());
		stream.setRemotePassword(remote.credentials().pwd());
		for (IceCandidate candidate : remote.candidates()) {
			InetSocketAddress address = candidate.socketAddress().orElse(null);
			if (address == null) {
				continue;
			}
			InetSocketAddress related = candidate.related();
			RemoteCandidate relatedCandidate = (related == null) ? null
					: new RemoteCandidate(new TransportAddress(related.getAddress(), related.getPort(), Transport.UDP),
							component, CandidateType.HOST_CANDIDATE, candidate.foundation(), candidate.priority(), null);
			component.addRemoteCandidate(new RemoteCandidate(
					new TransportAddress(address.getAddress(), address.getPort(), Transport.UDP), component,
					ice4jType(candidate.type()), candidate.foundation(), candidate.priority(), relatedCandidate));
		}
		CountDownLatch done = new CountDownLatch(1);
		long[] connectedNanos = new long[1];
		agent.addStateChangeListener((event) -> {
			Object state = event.getNewValue();
			if (state == IceProcessingState.COMPLETED || state == IceProcessingState.TERMINATED) {
				if (connectedNanos[0] == 0) {
					connectedNanos[0] = System.nanoTime();
				}
				done.countDown();
			}
			else if (state == IceProcessingState.FAILED) {
				done.countDown();
			}
		});
		agent.startConnectivityEstablishment();
		if (!done.await(30, TimeUnit.SECONDS) || component.getSelectedPair() == null) {
			System.out.println("not connected: " + agent.getState());
			agent.free();
			System.exit(5);
		}
		CandidatePair pair = component.getSelectedPair();
		System.out.println("connected in " + TimeUnit.NANOSECONDS.toMillis(connectedNanos[0] - start) + " ms local="
				+ sdpType(pair.getLocalCandidate().getType()) + " remote=" + sdpType(pair.getRemoteCandidate().getType()));
		TransportAddress peer = pair.getRemoteCandidate().getTransportAddress();
		byte[] hello = "hello from ice4j".getBytes(StandardCharsets.UTF_8);
		pair.getIceSocketWrapper().send(new DatagramPacket(hello, hello.length, peer));
		Thread receiver = new Thread(() -> {
			byte[] buffer = new byte[1500];
			while (true) {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				try {
					component.getSocket().receive(packet);
				}
				catch (Exception ex) {
					return;
				}
				System.out.println("< " + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
			}
		});
		receiver.setDaemon(true);
		receiver.start();
		while (in.readLine() != null) {
			// until standard input ends
		}
		agent.free();
		System.exit(0);
	}

	private static String sdpType(CandidateType type) {
		return switch (type) {
			case HOST_CANDIDATE, LOCAL_CANDIDATE -> "host";
			case SERVER_REFLEXIVE_CANDIDATE, STUN_CANDIDATE -> "srflx";
			case PEER_REFLEXIVE_CANDIDATE -> "prflx";
			case RELAYED_CANDIDATE -> "relay";
		};
	}

	private static CandidateType ice4jType(IceCandidateType type) {
		return switch (type) {
			case HOST -> CandidateType.HOST_CANDIDATE;
			case SERVER_REFLEXIVE -> CandidateType.SERVER_REFLEXIVE_CANDIDATE;
			case PEER_REFLEXIVE -> CandidateType.PEER_REFLEXIVE_CANDIDATE;
			case RELAYED -> CandidateType.RELAYED_CANDIDATE;
		};
	}

}
