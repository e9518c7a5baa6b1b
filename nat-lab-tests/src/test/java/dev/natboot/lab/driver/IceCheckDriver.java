package dev.natboot.lab.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.natboot.core.Transport;
import dev.natboot.core.ice.IceCandidate;
import dev.natboot.core.ice.IceCandidateType;
import dev.natboot.core.ice.IceCredentials;
import dev.natboot.core.ice.IceDescription;
import dev.natboot.core.ice.IcePriorities;
import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunCredentials;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;

/**
 * One side of an ICE exchange with a foreign agent, built from nat-core's ICE message layer alone, in the ROLE
 * given ({@code controlling}: its checks nominate; {@code controlled}: they do not): one host candidate on ADDRESS, its description printed (ending with {@code a=end-of-candidates}), the peer's
 * read from standard input; then checks to each of the peer's IPv4 candidates, answers to the peer's
 * checks, and an echo of the first datagram that is not STUN. Every check and answer of the peer must carry the
 * integrity the credentials give, or it is reported and ignored. Prints what happened, one fact per line. Never
 * run outside the lab.
 *
 * <pre>IceCheckDriver ADDRESS controlling|controlled</pre>
 */
public final class IceCheckDriver {

	private IceCheckDriver() {
	}

	public static void main(String[] args) throws Exception {
		InetAddress address = InetAddress.getByName(args[0]);
		boolean controlling = args[1].equals("controlling");
		SecureRandom random = new SecureRandom();
		IceCredentials mine = IceCredentials.random(random);
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
			InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
			IceCandidate host = IceCandidate.of(IcePriorities.foundation(IceCandidateType.HOST, Transport.UDP, address, null),
					IcePriorities.candidatePriority(IceCandidateType.HOST.recommendedPreference(), 65535, 1), Transport.UDP,
					local, IceCandidateType.HOST, null, null);
			System.out.print(IceDescription.of(mine, List.of(host)).toSdp());
			System.out.flush();
			IceDescription theirs = IceDescription.parse(readDescription());
			System.out.println("peer-candidates=" + theirs.candidates().size() + " skipped=" + theirs.skippedCandidates());
			List<InetSocketAddress> targets = new ArrayList<>();
			for (IceCandidate candidate : theirs.candidates()) {
				candidate.socketAddress()
					.filter((target) -> target.getAddress().getClass() == address.getClass())
					.ifPresent(targets::add);
			}
			exchange(socket, mine, theirs.credentials(), targets, controlling, random.nextLong());
		}
	}

	private static String readDescription() throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		StringBuilder text = new StringBuilder();
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			text.append(line).append('\n');
			if (line.strip().equals("a=end-of-candidates")) {
				break;
			}
		}
		return text.toString();
	}

	private static void exchange(DatagramSocket socket, IceCredentials mine, IceCredentials theirs,
			List<InetSocketAddress> targets, boolean controlling, long tieBreaker) throws Exception {
		StunCredentials outgoing = mine.toPeer(theirs);
		StunCredentials incoming = mine.fromPeer(theirs);
		List<byte[]> sent = new ArrayList<>();
		long deadline = System.nanoTime() + 15_000_000_000L;
		long nextChecks = 0;
		socket.setSoTimeout(50);
		byte[] buffer = new byte[2048];
		while (System.nanoTime() < deadline) {
			if (System.nanoTime() >= nextChecks) {
				for (InetSocketAddress target : targets) {
					List<StunAttribute> attributes = new ArrayList<>(List.of(new StunAttribute.Username(outgoing.username()),
							new StunAttribute.Priority(IcePriorities.candidatePriority(110, 65535, 1))));
					if (controlling) {
						attributes.add(new StunAttribute.IceControlling(tieBreaker));
						attributes.add(new StunAttribute.UseCandidate());
					}
					else {
						attributes.add(new StunAttribute.IceControlled(tieBreaker));
					}
					StunMessage check = new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING,
							StunMessage.newTransactionId(), attributes, true);
					sent.add(check.transactionId());
					byte[] octets = StunCodec.encode(check, outgoing);
					socket.send(new DatagramPacket(octets, octets.length, target));
				}
				nextChecks = System.nanoTime() + 200_000_000L;
			}
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				continue;
			}
			byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
			InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
			if (!StunCodec.looksLikeStun(data)) {
				String text = new String(data, StandardCharsets.UTF_8);
				System.out.println("data=" + text);
				byte[] echo = ("echo:" + text).getBytes(StandardCharsets.UTF_8);
				socket.send(new DatagramPacket(echo, echo.length, from));
				Thread.sleep(500); // let the peer's last checks be answered before closing
				return;
			}
			StunMessage message = StunCodec.decode(data);
			if (message.messageClass() == StunMessageClass.REQUEST) {
				answer(socket, message, data, from, incoming);
			}
			else if (message.messageClass() == StunMessageClass.SUCCESS_RESPONSE
					&& sent.stream().anyMatch(message::hasTransactionId)) {
				StunCodec.IntegrityCheck integrity = StunCodec.checkIntegrity(data, outgoing);
				System.out.println("check-succeeded from=" + from + " integrity=" + integrity + " mapped="
						+ message.mappedAddress().map(Object::toString).orElse("none"));
			}
			else {
				System.out.println("other=" + message.messageClass() + " from=" + from);
			}
		}
		System.out.println("timeout");
	}

	private static void answer(DatagramSocket socket, StunMessage check, byte[] data, InetSocketAddress from,
			StunCredentials incoming) throws Exception {
		StunCodec.IntegrityCheck integrity = StunCodec.checkIntegrity(data, incoming);
		String username = check.attribute(StunAttribute.Username.class).map(StunAttribute.Username::name).orElse("");
		String role = check.attribute(StunAttribute.IceControlled.class).isPresent() ? "controlled"
				: check.attribute(StunAttribute.IceControlling.class).isPresent() ? "controlling" : "none";
		boolean nominates = check.attribute(StunAttribute.UseCandidate.class).isPresent();
		boolean priority = check.attribute(StunAttribute.Priority.class).isPresent();
		System.out.println("peer-check from=" + from + " integrity=" + integrity + " username-right="
				+ username.equals(incoming.username()) + " role=" + role + " priority=" + priority + " nominates="
				+ nominates);
		if (integrity != StunCodec.IntegrityCheck.VALID || !username.equals(incoming.username())) {
			return;
		}
		StunMessage success = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
				check.transactionId(), List.of(new StunAttribute.XorMappedAddress(from)), true);
		byte[] octets = StunCodec.encode(success, incoming);
		socket.send(new DatagramPacket(octets, octets.length, from));
	}

}
