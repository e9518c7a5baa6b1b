package dev.natboot.core.ice;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** RFC 4571 frames and bare STUN on a stream, read in whatever pieces TCP delivers them. */
class IceTcpFramingTests {

	@Test
	void aFrameIsItsLengthInNetworkOrderThenThePacket() {
		byte[] framed = IceTcpFraming.frame(new byte[] { 7, 8, 9 });
		assertThat(framed).containsExactly(0, 3, 7, 8, 9);
		assertThat(IceTcpFraming.frame(new byte[0])).containsExactly(0, 0);
		assertThat(IceTcpFraming.frame(new byte[IceTcpFraming.MAX_PACKET])).hasSize(IceTcpFraming.MAX_PACKET + 2)
			.startsWith((byte) 0xff, (byte) 0xff);
		assertThatIllegalArgumentException().isThrownBy(() -> IceTcpFraming.frame(new byte[IceTcpFraming.MAX_PACKET + 1]));
	}

	@Test
	void framesSplitAnywhereAndFramesTogetherReadAsThePacketsInOrder() throws Exception {
		ByteBuffer stream = ByteBuffer.allocate(70_000);
		byte[] large = new byte[60_000];
		for (int index = 0; index < large.length; index++) {
			large[index] = (byte) index;
		}
		stream.put(IceTcpFraming.frame(new byte[] { 1 })).put(IceTcpFraming.frame(new byte[0]))
			.put(IceTcpFraming.frame(large)).put(IceTcpFraming.frame(new byte[] { 2, 3 }));
		byte[] octets = new byte[stream.position()];
		stream.flip().get(octets);
		for (int piece : new int[] { 1, 2, 3, 7, 1000, octets.length }) {
			IceTcpFraming.Reader reader = IceTcpFraming.reader(true);
			List<byte[]> packets = new ArrayList<>();
			for (int offset = 0; offset < octets.length; offset += piece) {
				packets.addAll(reader.read(ByteBuffer.wrap(octets, offset, Math.min(piece, octets.length - offset))));
			}
			assertThat(packets).as("in pieces of %d", piece).hasSize(4);
			assertThat(packets.get(0)).containsExactly(1);
			assertThat(packets.get(1)).isEmpty();
			assertThat(packets.get(2)).isEqualTo(large);
			assertThat(packets.get(3)).containsExactly(2, 3);
		}
	}

	@Test
	void bareStunReadsEachMessageAsLongAsItsHeaderSays() throws Exception {
		byte[] first = StunCodec.encode(StunMessage.bindingRequest());
		byte[] second = StunCodec.encode(StunMessage.bindingRequest());
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		IceTcpFraming.Reader reader = IceTcpFraming.reader(false);
		List<byte[]> packets = new ArrayList<>(reader.read(ByteBuffer.wrap(both, 0, 25)));
		assertThat(packets).isEmpty();
		packets.addAll(reader.read(ByteBuffer.wrap(both, 25, both.length - 25)));
		assertThat(packets).hasSize(2);
		assertThat(packets.get(0)).isEqualTo(first);
		assertThat(packets.get(1)).isEqualTo(second);
	}

	@Test
	void aStunStreamThatCarriesNoStunFailsRatherThanWaitingForAHugeMessage() {
		byte[] notStun = new byte[20];
		notStun[2] = (byte) 0xff; // length 65,280 and no magic cookie
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> IceTcpFraming.reader(false).read(ByteBuffer.wrap(notStun)));
	}

}
