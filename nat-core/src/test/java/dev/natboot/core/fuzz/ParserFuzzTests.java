package dev.natboot.core.fuzz;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.ice.IceCandidate;
import dev.natboot.core.ice.IceDescription;
import dev.natboot.core.ice.IceTcpFraming;
import dev.natboot.core.pcp.PcpCodec;
import dev.natboot.core.pmp.PmpCodec;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.turn.ChannelData;
import dev.natboot.core.upnp.IgdDescriptionParser;
import dev.natboot.core.upnp.SoapCodec;
import dev.natboot.core.upnp.SsdpCodec;

/**
 * Coverage-guided fuzzing of every parser that reads what a router, or anything pretending to be one, sends, and
 * of the ICE description a peer sends over the application's signalling.
 * Each may only answer with a message or {@link MalformedMessageException}: any other exception, a hang
 * (Jazzer's per-input timeout) or an allocation beyond Jazzer's limit fails the test.
 * <p>
 * Plain {@code mvn test} replays the corpora in {@code src/test/resources/dev/natboot/core/fuzz/
 * ParserFuzzTestsInputs/METHOD} (regression mode). {@code scripts/fuzz.sh [SECONDS]} fuzzes each parser for a
 * while and keeps what it found new in the corpora; the test suite runs it briefly.
 */
class ParserFuzzTests {

	private static final URI LOCATION = URI.create("http://192.0.2.1:5000/rootDesc.xml");

	private static final InetAddress DEVICE = InetAddress.getLoopbackAddress();

	@FuzzTest(maxDuration = "30s")
	void pcpResponse(byte[] data) {
		try {
			PcpCodec.decodeResponse(data);
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void pcpRequest(byte[] data) {
		try {
			PcpCodec.decodeRequest(data);
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void natPmpResponse(byte[] data) {
		try {
			PmpCodec.decodeResponse(data);
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void stunMessage(byte[] data) {
		try {
			StunCodec.messageLength(data);
			StunMessage message = StunCodec.decode(data);
			message.mappedAddress();
			message.otherAddress();
			message.toString();
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void turnChannelData(byte[] data) {
		try {
			ChannelData.frameLength(data, true);
			ChannelData.decode(data).toString();
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void ssdpMessage(byte[] data) {
		try {
			SsdpCodec.decode(data);
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void deviceDescription(byte[] data) {
		try {
			IgdDescriptionParser.parse(data, LOCATION, DEVICE).services().forEach((service) -> {
				if (!service.controlUrl().getHost().equals(DEVICE.getHostAddress())) {
					throw new AssertionError("control URL left the device: " + service.controlUrl());
				}
			});
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	@FuzzTest(maxDuration = "30s")
	void soapResponse(byte[] data) {
		try {
			SoapCodec.decodeResponse(data, "GetSpecificPortMappingEntry");
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	/** A peer's ICE description; every candidate read must also read back from what natboot writes of it. */
	@FuzzTest(maxDuration = "30s")
	void iceDescription(byte[] data) {
		try {
			IceDescription description = IceDescription.parse(new String(data, StandardCharsets.UTF_8));
			for (IceCandidate candidate : description.candidates()) {
				if (!IceCandidate.parse(candidate.toSdp()).equals(candidate)) {
					throw new AssertionError("does not read back: " + candidate.toSdp());
				}
			}
			if (!IceDescription.parse(description.toSdp()).candidates().equals(description.candidates())) {
				throw new AssertionError("description does not read back");
			}
		}
		catch (MalformedMessageException expected) {
			// the one answer allowed to garbage
		}
	}

	/**
	 * A peer's ICE-TCP stream, in pieces of any size: the RFC 4571 frames read are the stream's octets, framed
	 * again; a STUN stream (a server's) reads messages or fails as malformed, never holding more than one.
	 */
	@FuzzTest(maxDuration = "30s")
	void iceTcpStream(byte[] data) {
		if (data.length == 0) {
			return;
		}
		int piece = (data[0] & 0x3f) + 1;
		IceTcpFraming.Reader framed = IceTcpFraming.reader(true);
		java.io.ByteArrayOutputStream reframed = new java.io.ByteArrayOutputStream();
		IceTcpFraming.Reader stun = IceTcpFraming.reader(false);
		boolean stunFailed = false;
		for (int offset = 1; offset < data.length; offset += piece) {
			int length = Math.min(piece, data.length - offset);
			try {
				for (byte[] packet : framed.read(java.nio.ByteBuffer.wrap(data, offset, length))) {
					reframed.writeBytes(IceTcpFraming.frame(packet));
				}
			}
			catch (MalformedMessageException ex) {
				throw new AssertionError("an RFC 4571 stream cannot be malformed", ex);
			}
			if (!stunFailed) {
				try {
					for (byte[] message : stun.read(java.nio.ByteBuffer.wrap(data, offset, length))) {
						if (message.length > StunCodec.MAX_MESSAGE_LENGTH) {
							throw new AssertionError("a STUN message longer than any accepted: " + message.length);
						}
					}
				}
				catch (MalformedMessageException expected) {
					stunFailed = true; // the stream is of no further use
				}
			}
		}
		byte[] read = reframed.toByteArray();
		if (!java.util.Arrays.equals(read, 0, read.length, data, 1, 1 + read.length)) {
			throw new AssertionError("the frames read are not the stream's octets");
		}
	}

}
