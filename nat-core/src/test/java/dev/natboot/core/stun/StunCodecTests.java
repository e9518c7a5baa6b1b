package dev.natboot.core.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The codec against the test vectors of RFC 5769, packets captured from real servers (coturn 4.6.1 with two
 * addresses, and the RFC 3489 server stund 0.97, both in the lab), and every way a packet can be malformed.
 */
class StunCodecTests {

	private static final byte[] RFC5769_TRANSACTION_ID = hex("b7e7a701bc34d686fa87dfae");

	/** RFC 5769 section 2.1: a request with SOFTWARE, ICE attributes, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT. */
	private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
			+ "802200105354554e207465737420636c69656e74" + "002400046e0001ff" + "80290008932ff9b151263b36"
			+ "000600096576746a3a68367659202020" + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
			+ "80280004e57a3bcf";

	/** RFC 5769 section 2.2: an IPv4 response. */
	private static final String RFC5769_IPV4_RESPONSE = "0101003c2112a442b7e7a701bc34d686fa87dfae"
			+ "8022000b7465737420766563746f7220" + "002000080001a147e112a643"
			+ "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" + "80280004c07d4c96";

	/** coturn 4.6.1 answering a Binding request from behind the lab's router (11.22.33.1). */
	private static final String COTURN_RESPONSE = "010100502112a442ef1aba2e3d284cbc296bffcc"
			+ "002000080001bf622a048543" + "0001000800019e700b162101" + "802b000800010d960b162102"
			+ "802c000800010d970b162103" + "80220014436f7475726e2d342e362e312027476f7273742780280004ac247766";

	/** coturn's answer to a request with a comprehension-required attribute it does not know (0x7777). */
	private static final String COTURN_UNKNOWN_ATTRIBUTE = "011100442112a442283e507ef2987d7556b9f136"
			+ "0009001800000414556e6b6e6f776e20417474726962757465000000" + "000a00027777000080220014"
			+ "436f7475726e2d342e362e312027476f7273742780280004390b9c79";

	/** Our request to stund, as the client encodes it, byte for byte. */
	private static final String OUR_REQUEST = "000100182112a442b4a7c512e05c88dc6bc3c61d"
			+ "8022000c6e6174626f6f74205354554e802800042990f569";

	/** stund 0.97 (RFC 3489): MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS, and no FINGERPRINT. */
	private static final String STUND_RESPONSE = "010100442112a442b4a7c512e05c88dc6bc3c61d"
			+ "0001000800019dfe0b162101" + "0004000800010d980b162102" + "0005000800010d990b162103"
			+ "002000080001bcec2a048543" + "80220010566f766964612e6f726720302e393700";

	@Test
	void decodesTheRfc5769Request() throws Exception {
		StunMessage request = StunCodec.decode(hex(RFC5769_REQUEST));
		assertThat(request.messageClass()).isEqualTo(StunMessageClass.REQUEST);
		assertThat(request.method()).isEqualTo(StunMethod.BINDING);
		assertThat(request.transactionId()).isEqualTo(RFC5769_TRANSACTION_ID);
		assertThat(request.fingerprint()).isTrue();
		assertThat(request.attribute(StunAttribute.Software.class)).contains(new StunAttribute.Software("STUN test client"));
		assertThat(request.attributes()).extracting(StunAttribute::type)
			.containsExactly(StunAttributeType.SOFTWARE, StunAttributeType.PRIORITY, StunAttributeType.ICE_CONTROLLED,
					StunAttributeType.USERNAME, StunAttributeType.MESSAGE_INTEGRITY);
		assertThat(request.unknownComprehensionRequired()).isEmpty();
		assertThat(request.attribute(StunAttribute.Username.class)).contains(new StunAttribute.Username("evtj:h6vY"));
	}

	@Test
	void decodesTheRfc5769Ipv4Response() throws Exception {
		StunMessage response = StunCodec.decode(hex(RFC5769_IPV4_RESPONSE));
		assertThat(response.messageClass()).isEqualTo(StunMessageClass.SUCCESS_RESPONSE);
		assertThat(response.mappedAddress()).contains(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
		assertThat(response.attribute(StunAttribute.Software.class)).contains(new StunAttribute.Software("test vector"));
	}

	/**
	 * A server on a dual-stack socket sees an IPv4 client as ::ffff:a.b.c.d and may say so in an IPv6-family
	 * XOR-MAPPED-ADDRESS: that is the IPv4 address, which must compare equal to the router's.
	 */
	@Test
	void readsAnIpv4MappedIpv6AddressAsTheIpv4Address() throws Exception {
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xff;
		mapped[11] = (byte) 0xff;
		System.arraycopy(InetAddress.getByName("11.22.33.1").getAddress(), 0, mapped, 12, 4);
		InetSocketAddress asIpv6 = new InetSocketAddress(java.net.Inet6Address.getByAddress(null, mapped, null), 40000);
		StunMessage response = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
				RFC5769_TRANSACTION_ID, List.of(new StunAttribute.XorMappedAddress(asIpv6)), false);
		byte[] encoded = StunCodec.encode(response);
		assertThat(encoded[20 + 5]).as("IPv6 family on the wire").isEqualTo((byte) 2);
		InetSocketAddress decoded = StunCodec.decode(encoded).mappedAddress().orElseThrow();
		assertThat(decoded.getAddress()).isInstanceOf(java.net.Inet4Address.class)
			.isEqualTo(InetAddress.getByName("11.22.33.1"));
		assertThat(decoded.getPort()).isEqualTo(40000);
	}

	@Test
	void xorsIpv6AddressesWithTheTransactionIdAsRfc5769Shows() throws Exception {
		InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"),
				32853);
		StunMessage response = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
				RFC5769_TRANSACTION_ID, List.of(new StunAttribute.XorMappedAddress(mapped)), false);
		byte[] encoded = StunCodec.encode(response);
		// RFC 5769 section 2.3: family 2, X-Port a147, X-Address as below.
		assertThat(HexFormat.of().formatHex(encoded, 20, 44))
			.isEqualTo("002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9");
		assertThat(StunCodec.decode(encoded).mappedAddress()).contains(mapped);
	}

	@Test
	void decodesCoturn() throws Exception {
		StunMessage response = StunCodec.decode(hex(COTURN_RESPONSE));
		InetAddress router = InetAddress.getByName("11.22.33.1");
		assertThat(response.mappedAddress()).contains(new InetSocketAddress(router, 40560));
		assertThat(response.attribute(StunAttribute.MappedAddress.class))
			.contains(new StunAttribute.MappedAddress(new InetSocketAddress(router, 40560)));
		assertThat(response.attribute(StunAttribute.ResponseOrigin.class)).contains(
				new StunAttribute.ResponseOrigin(new InetSocketAddress(InetAddress.getByName("11.22.33.2"), 3478)));
		assertThat(response.otherAddress()).contains(new InetSocketAddress(InetAddress.getByName("11.22.33.3"), 3479));
		assertThat(response.attribute(StunAttribute.Software.class))
			.contains(new StunAttribute.Software("Coturn-4.6.1 'Gorst'"));
		assertThat(response.fingerprint()).isTrue();
	}

	@Test
	void decodesCoturnsUnknownAttributeError() throws Exception {
		StunMessage response = StunCodec.decode(hex(COTURN_UNKNOWN_ATTRIBUTE));
		assertThat(response.messageClass()).isEqualTo(StunMessageClass.ERROR_RESPONSE);
		assertThat(response.attribute(StunAttribute.ErrorCode.class))
			.contains(new StunAttribute.ErrorCode(420, "Unknown Attribute"));
		assertThat(response.attribute(StunAttribute.UnknownAttributes.class))
			.contains(new StunAttribute.UnknownAttributes(List.of(0x7777)));
	}

	@Test
	void decodesAnRfc3489ServerWithItsChangedAddressAsTheOtherAddress() throws Exception {
		StunMessage response = StunCodec.decode(hex(STUND_RESPONSE));
		assertThat(response.fingerprint()).isFalse();
		assertThat(response.attribute(StunAttribute.MappedAddress.class).map(StunAttribute.MappedAddress::address))
			.contains(new InetSocketAddress(InetAddress.getByName("11.22.33.1"), 40446));
		assertThat(response.otherAddress()).contains(new InetSocketAddress(InetAddress.getByName("11.22.33.3"), 3481));
		assertThat(response.attributes()).extracting(StunAttribute::type).contains(StunAttributeType.SOURCE_ADDRESS);
		assertThat(response.attribute(StunAttribute.Software.class))
			.contains(new StunAttribute.Software("Vovida.org 0.97"));
		assertThat(response.unknownComprehensionRequired()).isEmpty();
	}

	@Test
	void encodesRequestsByteForByteAsSentToTheRealServers() {
		StunMessage request = new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING,
				hex("b4a7c512e05c88dc6bc3c61d"), List.of(new StunAttribute.Software(StunMessage.SOFTWARE)), true);
		assertThat(HexFormat.of().formatHex(StunCodec.encode(request))).isEqualTo(OUR_REQUEST);
	}

	@Test
	void everyAttributeSurvivesARoundTrip() throws Exception {
		InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 61000);
		InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 3478);
		StunMessage message = new StunMessage(StunMessageClass.ERROR_RESPONSE, StunMethod.BINDING,
				StunMessage.newTransactionId(),
				List.of(new StunAttribute.XorMappedAddress(v6), new StunAttribute.MappedAddress(v4),
						new StunAttribute.ResponseOrigin(v4), new StunAttribute.OtherAddress(v6),
						new StunAttribute.ChangedAddress(v4), new StunAttribute.ChangeRequest(true, false),
						new StunAttribute.ErrorCode(420, "Unknown Attribute"),
						new StunAttribute.UnknownAttributes(List.of(0x7777, 0x0042, 0x1234)),
						new StunAttribute.Software("natboot é"), new StunAttribute.Nonce("obMatJos2AQAB"),
						new StunAttribute.Opaque(0xc0de, new byte[] { 1, 2, 3, 4, 5 })),
				true);
		byte[] encoded = StunCodec.encode(message);
		assertThat(encoded.length % 4).isZero();
		assertThat(StunCodec.looksLikeStun(encoded)).isTrue();
		assertThat(StunCodec.decode(encoded)).isEqualTo(message);
	}

	@Test
	void collectsUnknownComprehensionRequiredAttributesAndIgnoresUnknownOptionalOnes() throws Exception {
		StunMessage message = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
				StunMessage.newTransactionId(), List.of(new StunAttribute.Opaque(0x7777, new byte[] { 1 }),
						new StunAttribute.Opaque(0xc001, new byte[] { 2 })),
				false);
		StunMessage decoded = StunCodec.decode(StunCodec.encode(message));
		assertThat(decoded.unknownComprehensionRequired()).containsExactly(0x7777);
		assertThat(decoded.attributes()).hasSize(2);
	}

	@Test
	void ignoresAttributesAfterMessageIntegrityExceptTheFingerprint() throws Exception {
		StunMessage message = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
				StunMessage.newTransactionId(),
				List.of(new StunAttribute.MessageIntegrity(new byte[20]),
						new StunAttribute.XorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1))),
				true);
		StunMessage decoded = StunCodec.decode(StunCodec.encode(message));
		assertThat(decoded.mappedAddress()).isEmpty();
		assertThat(decoded.fingerprint()).isTrue();
	}

	@Test
	void rejectsEveryMalformedPacket() {
		byte[] valid = hex(COTURN_RESPONSE);
		assertMalformed(new byte[0]);
		assertMalformed(Arrays.copyOf(valid, 19));
		assertMalformed(Arrays.copyOf(valid, valid.length - 4)); // length field says more
		assertMalformed(with(valid, 0, 0x41)); // top bits set
		assertMalformed(with(valid, 4, 0x22)); // magic cookie
		assertMalformed(with(valid, 3, 0x51)); // length not a multiple of 4
		assertMalformed(with(valid, 1, 0xff)); // unknown method
		assertMalformed(with(valid, valid.length - 1, valid[valid.length - 1] ^ 1)); // fingerprint
		assertMalformed(with(valid, 20 + 5, 0x07)); // address family 7
		assertMalformed(with(valid, 20 + 3, 0x09)); // XOR-MAPPED-ADDRESS of 9 octets overruns
		assertMalformed(new byte[StunCodec.MAX_MESSAGE_LENGTH + 4]);
		byte[] afterFingerprint = Arrays.copyOf(valid, valid.length + 8);
		afterFingerprint[3] = (byte) (afterFingerprint[3] + 8);
		afterFingerprint[valid.length + 1] = 0x22;
		assertMalformed(afterFingerprint);
		StunMessage badError = new StunMessage(StunMessageClass.ERROR_RESPONSE, StunMethod.BINDING,
				StunMessage.newTransactionId(), List.of(new StunAttribute.Opaque(StunAttributeType.ERROR_CODE,
						new byte[] { 0, 0, 7, 0 })), false);
		assertMalformed(StunCodec.encode(badError));
	}

	@Test
	void rejectsMoreAttributesThanAnyRealMessageHas() {
		List<StunAttribute> many = new ArrayList<>();
		for (int i = 0; i <= StunCodec.MAX_ATTRIBUTES; i++) {
			many.add(new StunAttribute.Opaque(StunAttributeType.PADDING, new byte[0]));
		}
		assertMalformed(StunCodec.encode(new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.BINDING,
				StunMessage.newTransactionId(), many, false)));
	}

	@Test
	void framesMessagesOnAStream() throws Exception {
		byte[] valid = hex(COTURN_RESPONSE);
		assertThat(StunCodec.messageLength(Arrays.copyOf(valid, 20))).isEqualTo(valid.length);
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> StunCodec.messageLength(hex("0101ff002112a442000000000000000000000000")));
		assertThat(StunCodec.looksLikeStun("GET / HTTP/1.1\r\n\r\nxxxxxx".getBytes())).isFalse();
	}

	private static void assertMalformed(byte[] data) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> StunCodec.decode(data));
	}

	private static byte[] with(byte[] data, int index, int value) {
		byte[] copy = data.clone();
		copy[index] = (byte) value;
		return copy;
	}

	static byte[] hex(String text) {
		return HexFormat.of().parseHex(text);
	}

}
