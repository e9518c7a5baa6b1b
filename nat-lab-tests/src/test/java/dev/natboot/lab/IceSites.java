package dev.natboot.lab;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the ICE lab tests share: the kinds of site of the two-site matrix, and two natboot CLIs connected and
 * talking, their descriptions passed between them as a person would paste them.
 */
final class IceSites {

	static final Duration TIMEOUT = Duration.ofSeconds(25);

	/** What {@code natboot-cli ice} prints once connected: ms, local type and endpoint, remote ones, role. */
	static final Pattern NATBOOT_CONNECTED = Pattern
		.compile("ice: connected in (\\d+) ms \\((\\w+) (\\S+) <-> (\\w+) (\\S+) \\((\\d+) us\\)\\), role (\\w+)");

	private IceSites() {
	}

	static Matcher[] connectNatboots(IcePeer one, IcePeer two) throws Exception {
		String first = one.description(TIMEOUT);
		String second = two.description(TIMEOUT);
		one.type(second);
		two.type(first);
		return new Matcher[] { one.await(NATBOOT_CONNECTED, TIMEOUT), two.await(NATBOOT_CONNECTED, TIMEOUT) };
	}

	static void exchangeLines(IcePeer one, IcePeer two) throws Exception {
		one.type("hello from site 1\n");
		two.await(Pattern.compile("^< hello from site 1$"), TIMEOUT);
		two.type("hello from site 2\n");
		one.await(Pattern.compile("^< hello from site 2$"), TIMEOUT);
	}

	/** natlab's router kind for a site of the matrix: {@code plain}, {@code random}, each with {@code +router}. */
	static String router(String site) {
		return site.endsWith("+router") ? "all" : "none";
	}

	static String nat(String site) {
		return site.startsWith("random") ? "random" : "masquerade";
	}

	static String[] all(String[]... parts) {
		return Stream.of(parts).flatMap(Stream::of).toArray(String[]::new);
	}

}
