package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.natboot.core.NatException;
import dev.natboot.core.Transport;
import dev.natboot.core.stun.NatBehavior;
import dev.natboot.core.stun.NatType;
import dev.natboot.core.stun.StunServer;
import org.jspecify.annotations.Nullable;

/**
 * What a STUN check saw: this host's public address from outside and, over UDP with a server that supports RFC
 * 5780, the NAT's behaviour.
 *
 * @param server the server that answered, or the last one tried when none did
 * @param transport UDP or TCP
 * @param publicEndpoint the public address and port of the check's socket; {@code null} when the check failed
 * @param behavior the NAT's behaviour; {@code null} when not measured
 * @param checkedAt when the check ended
 * @param duration how long the check took, every server tried and, with behaviour discovery, every probe
 * @param failure why no server answered; {@code null} on success
 */
public record StunObservation(StunServer server, Transport transport, @Nullable InetSocketAddress publicEndpoint,
		@Nullable NatBehavior behavior, Instant checkedAt, Duration duration, @Nullable NatException failure) {

	public boolean succeeded() {
		return this.publicEndpoint != null;
	}

	/**
	 * The public address.
	 * @return the address, {@code null} when the check failed
	 */
	public @Nullable InetAddress publicAddress() {
		InetSocketAddress endpoint = this.publicEndpoint;
		return (endpoint != null) ? endpoint.getAddress() : null;
	}

	/**
	 * The classic name of the NAT.
	 * @return the name, {@link NatType#UNKNOWN} when the behaviour was not measured
	 */
	public NatType natType() {
		NatBehavior measured = this.behavior;
		return (measured != null) ? measured.natType() : NatType.UNKNOWN;
	}

	/**
	 * Whether this check tells users something other than a previous one: success or failure, public address,
	 * NAT type or one of its behaviours.
	 * @param previous the previous check, {@code null} for none
	 * @return true if anything users watch differs
	 */
	public boolean differsFrom(@Nullable StunObservation previous) {
		if (previous == null) {
			return true;
		}
		NatBehavior before = previous.behavior;
		NatBehavior now = this.behavior;
		return previous.succeeded() != succeeded() || !Objects.equals(previous.publicAddress(), publicAddress())
				|| previous.natType() != natType() || (before == null) != (now == null)
				|| (before != null && now != null && (before.mapping() != now.mapping()
						|| before.filtering() != now.filtering() || before.hairpinning() != now.hairpinning()));
	}

}
