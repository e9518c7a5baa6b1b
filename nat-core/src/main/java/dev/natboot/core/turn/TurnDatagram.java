package dev.natboot.core.turn;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A datagram a UDP allocation relayed from a peer, from a Data indication or a ChannelData message.
 *
 * @param peer the peer's address, as the relay saw it
 * @param data the datagram's payload
 */
public record TurnDatagram(InetSocketAddress peer, byte[] data) {

	public TurnDatagram {
		data = data.clone();
	}

	@Override
	public byte[] data() {
		return this.data.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof TurnDatagram that && that.peer.equals(this.peer) && Arrays.equals(that.data, this.data);
	}

	@Override
	public int hashCode() {
		return 31 * this.peer.hashCode() + Arrays.hashCode(this.data);
	}

	@Override
	public String toString() {
		return "TurnDatagram[peer=" + this.peer + ", " + this.data.length + " octets]";
	}

}
