package dev.natboot.core.ice;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * What one agent tells the other over the application's signalling: its credentials, options and candidates, as
 * the SDP attribute lines of RFC 8839 ({@code a=ice-ufrag}, {@code a=ice-pwd}, {@code a=ice-options},
 * {@code a=candidate}, {@code a=end-of-candidates}), one per line. {@link #parse} reads the same lines from a
 * peer, or from a whole SDP: other lines are ignored, candidate lines this agent cannot use (another transport,
 * another type, a malformed line) are skipped and counted, and the text is bounded.
 * @param credentials the agent's ufrag and password
 * @param options its ICE options (such as {@code trickle})
 * @param candidates its candidates, in its order
 * @param endOfCandidates whether it has gathered all of them (always, without trickle ICE)
 * @param skippedCandidates candidate lines of the peer that were skipped; 0 in a description of this agent's own
 */
public record IceDescription(IceCredentials credentials, Set<String> options, List<IceCandidate> candidates,
		boolean endOfCandidates, int skippedCandidates) {

	/** Longest description read. */
	public static final int MAX_LENGTH = 64 * 1024;

	/** Most candidates read: RFC 8445 section 6.1.2.5 limits an agent to 100 pairs anyway. */
	public static final int MAX_CANDIDATES = 64;

	/** Most ICE options read. */
	static final int MAX_OPTIONS = 16;

	public IceDescription {
		Objects.requireNonNull(credentials, "credentials");
		options = Set.copyOf(options);
		candidates = List.copyOf(candidates);
		if (candidates.size() > MAX_CANDIDATES) {
			throw new IllegalArgumentException("At most " + MAX_CANDIDATES + " candidates: " + candidates.size());
		}
	}

	/**
	 * A complete description of this agent's own.
	 * @param credentials its credentials
	 * @param candidates its candidates
	 * @return the description, without options, with its end of candidates
	 */
	public static IceDescription of(IceCredentials credentials, List<IceCandidate> candidates) {
		return new IceDescription(credentials, Set.of(), candidates, true, 0);
	}

	/**
	 * The description as SDP attribute lines, each ended by CRLF.
	 * @return the lines
	 */
	public String toSdp() {
		StringBuilder out = new StringBuilder(256 + 128 * this.candidates.size());
		out.append("a=ice-ufrag:").append(this.credentials.ufrag()).append("\r\n");
		out.append("a=ice-pwd:").append(this.credentials.pwd()).append("\r\n");
		if (!this.options.isEmpty()) {
			out.append("a=ice-options:").append(String.join(" ", this.options.stream().sorted().toList())).append("\r\n");
		}
		for (IceCandidate candidate : this.candidates) {
			out.append("a=").append(candidate.toSdp()).append("\r\n");
		}
		if (this.endOfCandidates) {
			out.append("a=end-of-candidates\r\n");
		}
		return out.toString();
	}

	/**
	 * Reads a peer's description.
	 * @param text its lines, with or without {@code a=}, ended by CRLF or LF; other SDP lines may be among them
	 * @return the description
	 * @throws MalformedMessageException if it is too long, lacks a valid ufrag or password, names either twice,
	 *     or has more than {@link #MAX_CANDIDATES} candidates
	 */
	public static IceDescription parse(String text) throws MalformedMessageException {
		if (text.length() > MAX_LENGTH) {
			throw new MalformedMessageException("ICE description of " + text.length() + " characters exceeds "
					+ MAX_LENGTH);
		}
		String ufrag = null;
		String pwd = null;
		Set<String> options = new LinkedHashSet<>();
		List<IceCandidate> candidates = new ArrayList<>();
		boolean end = false;
		int skipped = 0;
		for (String rawLine : text.split("\r?\n")) {
			String line = rawLine.strip();
			if (line.startsWith("a=")) {
				line = line.substring(2);
			}
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("ice-ufrag:")) {
				ufrag = once(ufrag, line.substring(10).strip(), "ice-ufrag");
			}
			else if (lower.startsWith("ice-pwd:")) {
				pwd = once(pwd, line.substring(8).strip(), "ice-pwd");
			}
			else if (lower.startsWith("ice-options:")) {
				for (String option : line.substring(12).strip().split("[ \t]+")) {
					if (!option.isEmpty() && options.size() < MAX_OPTIONS && IceChars.isIceChars(option, 1, 64)) {
						options.add(option);
					}
				}
			}
			else if (lower.startsWith("candidate:")) {
				if (candidates.size() >= MAX_CANDIDATES) {
					throw new MalformedMessageException("ICE description with more than " + MAX_CANDIDATES
							+ " candidates");
				}
				try {
					candidates.add(IceCandidateCodec.parse(line));
				}
				catch (MalformedMessageException ex) {
					skipped++;
				}
			}
			else if (lower.equals("end-of-candidates")) {
				end = true;
			}
		}
		if (ufrag == null || !IceChars.isIceChars(ufrag, 4, 256)) {
			throw new MalformedMessageException("ICE description without an ice-ufrag of 4 to 256 ice-chars");
		}
		if (pwd == null || !IceChars.isIceChars(pwd, 22, 256)) {
			throw new MalformedMessageException("ICE description without an ice-pwd of 22 to 256 ice-chars");
		}
		return new IceDescription(new IceCredentials(ufrag, pwd), options, candidates, end, skipped);
	}

	private static String once(@Nullable String previous, String value, String what) throws MalformedMessageException {
		if (previous != null) {
			throw new MalformedMessageException("ICE description with two " + what + " lines");
		}
		return value;
	}

}
