package dev.natboot.core.upnp;

import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An SSDP datagram: the answer to an M-SEARCH ({@code HTTP/1.1 200 OK}) or an announcement
 * ({@code NOTIFY * HTTP/1.1}).
 *
 * @param kind answer or announcement
 * @param headers header fields, names in upper case
 */
public record SsdpMessage(Kind kind, Map<String, String> headers) {

	public SsdpMessage {
		headers = Map.copyOf(headers);
	}

	/**
	 * A header field by name, in any letter case.
	 * @param name the name
	 * @return the value, or {@code null}
	 */
	public @Nullable String header(String name) {
		return this.headers.get(name.toUpperCase(Locale.ROOT));
	}

	/**
	 * The search target (of an answer) or notification type (of an announcement).
	 * @return ST or NT
	 */
	public @Nullable String target() {
		return header((this.kind == Kind.SEARCH_RESPONSE) ? "ST" : "NT");
	}

	public @Nullable String location() {
		return header("LOCATION");
	}

	public @Nullable String usn() {
		return header("USN");
	}

	/**
	 * What the datagram is.
	 */
	public enum Kind {

		/** {@code HTTP/1.1 200 OK} to an M-SEARCH. */
		SEARCH_RESPONSE,

		/** {@code NOTIFY * HTTP/1.1}: ssdp:alive, ssdp:byebye or ssdp:update. */
		NOTIFY

	}

}
