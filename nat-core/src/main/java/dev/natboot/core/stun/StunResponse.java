package dev.natboot.core.stun;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A response as it arrived.
 *
 * @param message the response
 * @param source where it came from
 * @param roundTrip time from the first transmission of the request to the response
 * @param attempts how many times the request was sent; a round trip measured after one try only is a valid
 * sample for retransmission timeouts (Karn's algorithm)
 */
public record StunResponse(StunMessage message, InetSocketAddress source, Duration roundTrip, int attempts) {

	/**
	 * The client's address as the server saw it.
	 * @return XOR-MAPPED-ADDRESS or MAPPED-ADDRESS
	 * @throws IllegalStateException if the response has neither; {@link StunClient#binding} never returns such
	 */
	public InetSocketAddress mappedAddress() {
		return this.message.mappedAddress()
			.orElseThrow(() -> new IllegalStateException("No mapped address in " + this.message));
	}

}
