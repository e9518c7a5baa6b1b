package dev.natboot.core.reachability;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The datagram that checks a UDP mapping from outside, and the answer an application gives it. Nothing outside
 * can tell that a datagram reached an application unless the application answers: an application that
 * declares a UDP mapping as answering probes ({@code nat.mappings.NAME.answers-probes=true}) calls
 * {@link #isProbe} on what it receives on that port and, for a probe, sends {@link #answer} back to the sender:
 *
 * <pre>
 * if (UdpProbe.isProbe(packet.getData(), packet.getOffset(), packet.getLength())) {
 *     byte[] answer = UdpProbe.answer(packet.getData(), packet.getOffset(), packet.getLength());
 *     socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
 *     continue;
 * }
 * </pre>
 *
 * A probe is {@value #PROBE_PREFIX} and 16 random octets; its answer {@value #ANSWER_PREFIX} and the same
 * octets, of the same length: answering a forged probe sends back no more than came in.
 */
public final class UdpProbe {

	/** What a probe starts with. */
	public static final String PROBE_PREFIX = "NATBOOT-PROBE/1 ";

	/** What an answer starts with. */
	public static final String ANSWER_PREFIX = "NATBOOT-REPLY/1 ";

	static final int TOKEN_LENGTH = 16;

	/** The length of a probe and of its answer. */
	public static final int LENGTH = 16 + TOKEN_LENGTH;

	private static final byte[] PROBE = PROBE_PREFIX.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ANSWER = ANSWER_PREFIX.getBytes(StandardCharsets.US_ASCII);

	private static final SecureRandom random = new SecureRandom();

	private UdpProbe() {
	}

	/**
	 * Whether a datagram is natboot's probe.
	 * @param data the buffer
	 * @param offset where the datagram starts
	 * @param length its length
	 * @return true for a probe, which the application answers with {@link #answer}
	 */
	public static boolean isProbe(byte[] data, int offset, int length) {
		return length == LENGTH && Arrays.equals(data, offset, offset + PROBE.length, PROBE, 0, PROBE.length);
	}

	/**
	 * The answer to a probe.
	 * @param probe the buffer
	 * @param offset where the probe starts
	 * @param length its length
	 * @return the answer, to send back to the probe's sender
	 * @throws IllegalArgumentException if it is no probe
	 */
	public static byte[] answer(byte[] probe, int offset, int length) {
		if (!isProbe(probe, offset, length)) {
			throw new IllegalArgumentException("Not a natboot probe");
		}
		byte[] answer = Arrays.copyOfRange(probe, offset, offset + LENGTH);
		System.arraycopy(ANSWER, 0, answer, 0, ANSWER.length);
		return answer;
	}

	/** A new probe with a random token. */
	static byte[] newProbe() {
		byte[] probe = new byte[LENGTH];
		System.arraycopy(PROBE, 0, probe, 0, PROBE.length);
		byte[] token = new byte[TOKEN_LENGTH];
		random.nextBytes(token);
		System.arraycopy(token, 0, probe, PROBE.length, TOKEN_LENGTH);
		return probe;
	}

	/** Whether a datagram answers this probe. */
	static boolean answers(byte[] datagram, byte[] probe) {
		return datagram.length == LENGTH && Arrays.equals(datagram, 0, ANSWER.length, ANSWER, 0, ANSWER.length)
				&& Arrays.equals(datagram, PROBE.length, LENGTH, probe, PROBE.length, LENGTH);
	}

}
