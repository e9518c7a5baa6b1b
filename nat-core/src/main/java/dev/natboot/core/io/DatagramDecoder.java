package dev.natboot.core.io;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatException;

/**
 * Turns a received datagram into a typed message.
 *
 * @param <R> message type
 */
@FunctionalInterface
public interface DatagramDecoder<R> {

	/**
	 * Decodes a datagram.
	 * @param data the datagram
	 * @return the message
	 * @throws MalformedMessageException if the datagram is not a valid message; it is ignored
	 * @throws NatException if the datagram is a valid rejection of every request on this channel, such as a
	 * reply in an older protocol version that says this one is not supported
	 */
	R decode(byte[] data) throws MalformedMessageException, NatException;

}
