package dev.natboot.core.turn;

import java.nio.charset.StandardCharsets;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ChannelDataTests {

	@Test
	void encodesTheHeaderAndPadsOnlyForStreams() {
		ChannelData data = new ChannelData(0x4001, "abcde".getBytes(StandardCharsets.US_ASCII));
		assertThat(data.encode(false)).containsExactly(0x40, 0x01, 0x00, 0x05, 'a', 'b', 'c', 'd', 'e');
		assertThat(data.encode(true)).hasSize(12).startsWith(0x40, 0x01, 0x00, 0x05);
	}

	@Test
	void decodesWhatItEncodesAndIgnoresUdpPadding() throws Exception {
		ChannelData data = new ChannelData(0x4fff, new byte[] { 1, 2, 3 });
		assertThat(ChannelData.decode(data.encode(false))).isEqualTo(data);
		assertThat(ChannelData.decode(data.encode(true))).isEqualTo(data);
		assertThat(ChannelData.frameLength(data.encode(true), true)).isEqualTo(8);
		assertThat(ChannelData.frameLength(data.encode(false), false)).isEqualTo(7);
	}

	@Test
	void refusesChannelsOutsideTheRangeAndLengthsBeyondTheFrame() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> ChannelData.decode(new byte[] { 0x50, 0x00, 0x00, 0x00 }));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> ChannelData.decode(new byte[] { 0x40, 0x00, 0x00, 0x09, 1 }));
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> ChannelData.decode(new byte[] { 0x40 }));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new ChannelData(0x3fff, new byte[0]));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new ChannelData(0x4000, new byte[65536]));
	}

	@Test
	void tellsChannelDataFromStunByItsFirstBits() {
		assertThat(ChannelData.looksLikeChannelData(new byte[] { 0x40 })).isTrue();
		assertThat(ChannelData.looksLikeChannelData(new byte[] { 0x00 })).isFalse();
		assertThat(ChannelData.looksLikeChannelData(new byte[] { (byte) 0x80 })).isFalse();
		assertThat(ChannelData.looksLikeChannelData(new byte[0])).isFalse();
	}

}
