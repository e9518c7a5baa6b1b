package dev.natboot.core.mapping;

import java.time.Duration;
import java.util.Objects;

import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

/**
 * One exchange with the router on behalf of a mapping, as metrics see it: what was asked, by which protocol,
 * how long the router took and how it ended.
 *
 * @param mappingName the mapping's name
 * @param kind what was asked
 * @param protocol protocol that carried it; {@code null} when no router could be found to ask
 * @param transport the mapping's transport
 * @param duration from the start of the attempt (including finding the router) to its end
 * @param failure why it failed, {@code null} if it succeeded
 * @param id the same as the {@link Started#id()} told when the exchange began; 0 when it was not told
 */
public record MappingOperation(String mappingName, Kind kind, @Nullable NatProtocol protocol, Transport transport,
		Duration duration, @Nullable NatException failure, long id) {

	public MappingOperation {
		Objects.requireNonNull(mappingName);
		Objects.requireNonNull(kind);
		Objects.requireNonNull(transport);
		Objects.requireNonNull(duration);
	}

	/**
	 * An operation that no {@link Started} announced.
	 * @param mappingName the mapping's name
	 * @param kind what was asked
	 * @param protocol protocol that carried it
	 * @param transport the mapping's transport
	 * @param duration how long it took
	 * @param failure why it failed, {@code null} if it succeeded
	 */
	public MappingOperation(String mappingName, Kind kind, @Nullable NatProtocol protocol, Transport transport,
			Duration duration, @Nullable NatException failure) {
		this(mappingName, kind, protocol, transport, duration, failure, 0);
	}

	/**
	 * An exchange that has begun: told once its request is on its way, so that whatever listeners do with it
	 * overlaps the router's answer rather than delaying the request.
	 *
	 * @param id identifies the exchange; its {@link MappingOperation} carries the same
	 * @param mappingName the mapping's name
	 * @param kind what is asked
	 * @param protocol protocol that carries it; {@code null} while the router is still being found
	 * @param transport the mapping's transport
	 */
	public record Started(long id, String mappingName, Kind kind, @Nullable NatProtocol protocol,
			Transport transport) {

		public Started {
			Objects.requireNonNull(mappingName);
			Objects.requireNonNull(kind);
			Objects.requireNonNull(transport);
		}

	}

	public boolean succeeded() {
		return this.failure == null;
	}

	/** What an operation asked of the router. */
	public enum Kind {

		/** Map a port that is not mapped now (the first time, or after the mapping was lost). */
		CREATE,

		/** Extend a mapping that is active. */
		RENEW,

		/** Ask whether the router still holds a mapping, changing nothing. */
		VERIFY,

		/** Delete a mapping. */
		REMOVE

	}

}
