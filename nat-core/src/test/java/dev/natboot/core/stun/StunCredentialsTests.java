package dev.natboot.core.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * MESSAGE-INTEGRITY with short-term and long-term credentials against the test vectors of RFC 5769, and the
 * TURN attributes (RFC 8656, RFC 6062).
 */
class StunCredentialsTests {

	/** RFC 5769 section 2.1: short-term credentials, password "VOkJxbRl1RmTxUk/WvJxBt". */
	private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
			+ "802200105354554e207465737420636c69656e74" + "002400046e0001ff" + "80290008932ff9b151263b36"
			+ "000600096576746a3a68367659202020" + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
			+ "80280004e57a3bcf";

	/**
	 * RFC 5769 section 2.4: long-term credentials, user name "マトリックス" (katakana), realm "example.org",
	 * nonce "f//499k954d6OL34oL9FSTvy64sA", password "The\u00adM\u00aatr\u2168", which SASLprep (the RFC 5389
	 * profile the vector was made with) turns into "TheMatrIX".
	 */
	private static final String RFC5769_LONG_TERM_REQUEST = "000100602112a44278ad3433c6ad72c029da412e"
			+ "00060012e3839ee38388e383aae38383e382afe382b90000"
			+ "0015001c662f2f3439396b39353464364f4c33346f4c39465354767936347341"
			+ "0014000b6578616d706c652e6f726700" + "00080014f67024656dd64a3e02b8e0712e85c9a28ca89666";

	private static final String KATAKANA_USER = "\u30de\u30c8\u30ea\u30c3\u30af\u30b9";

	@Test
	void checksTheShortTermVector() {
		byte[] request = hex(RFC5769_REQUEST);
		assertThat(StunCodec.checkIntegrity(request, StunCredentials.shortTerm("evtj:h6vY", "VOkJxbRl1RmTxUk/WvJxBt")))
			.isEqualTo(StunCodec.IntegrityCheck.VALID);
		assertThat(StunCodec.checkIntegrity(request, StunCredentials.shortTerm("evtj:h6vY", "VOkJxbRl1RmTxUk/WvJxBu")))
			.isEqualTo(StunCodec.IntegrityCheck.INVALID);
		byte[] changed = request.clone();
		changed[24] ^= 1; // a letter of SOFTWARE
		assertThat(StunCodec.checkIntegrity(changed, StunCredentials.shortTerm("evtj:h6vY", "VOkJxbRl1RmTxUk/WvJxBt")))
			.isEqualTo(StunCodec.IntegrityCheck.INVALID);
	}

	@Test
	void signsTheLongTermVectorByteForByte() throws MalformedMessageException {
		byte[] vector = hex(RFC5769_LONG_TERM_REQUEST);
		StunMessage request = StunCodec.decode(vector);
		assertThat(request.attribute(StunAttribute.Username.class)).contains(new StunAttribute.Username(KATAKANA_USER));
		assertThat(request.attribute(StunAttribute.Realm.class)).contains(new StunAttribute.Realm("example.org"));
		assertThat(request.attribute(StunAttribute.Nonce.class))
			.contains(new StunAttribute.Nonce("f//499k954d6OL34oL9FSTvy64sA"));
		StunCredentials credentials = StunCredentials.longTerm(KATAKANA_USER, "example.org", "TheMatrIX",
				StunAttribute.PasswordAlgorithm.MD5, StunCredentials.Integrity.SHA1);
		assertThat(StunCodec.checkIntegrity(vector, credentials)).isEqualTo(StunCodec.IntegrityCheck.VALID);
		// Encoding the decoded message again, with the key, gives the vector: the integrity is computed, not copied.
		assertThat(HexFormat.of().formatHex(StunCodec.encode(request, credentials))).isEqualTo(RFC5769_LONG_TERM_REQUEST);
	}

	@Test
	void signsAndChecksWithSha256AndTheFingerprintAfterIt() throws MalformedMessageException {
		StunCredentials credentials = StunCredentials.longTerm("natboot", "lab", "s3cret",
				StunAttribute.PasswordAlgorithm.SHA256, StunCredentials.Integrity.SHA256);
		StunMessage allocate = new StunMessage(StunMessageClass.REQUEST, StunMethod.ALLOCATE,
				StunMessage.newTransactionId(),
				List.of(new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP),
						new StunAttribute.Username("natboot"), new StunAttribute.Realm("lab"),
						new StunAttribute.Nonce("abcdef"),
						new StunAttribute.PasswordAlgorithm(StunAttribute.PasswordAlgorithm.SHA256)),
				true);
		byte[] encoded = StunCodec.encode(allocate, credentials);
		StunMessage decoded = StunCodec.decode(encoded);
		assertThat(decoded.fingerprint()).isTrue();
		assertThat(decoded.attribute(StunAttribute.MessageIntegritySha256.class)).get()
			.satisfies((integrity) -> assertThat(integrity.hmac()).hasSize(32));
		assertThat(StunCodec.checkIntegrity(encoded, credentials)).isEqualTo(StunCodec.IntegrityCheck.VALID);
		assertThat(StunCodec.checkIntegrity(encoded, StunCredentials.longTerm("natboot", "lab", "s3cret",
				StunAttribute.PasswordAlgorithm.MD5, StunCredentials.Integrity.SHA256)))
			.isEqualTo(StunCodec.IntegrityCheck.INVALID);
		assertThat(StunCodec.checkIntegrity(StunCodec.encode(allocate), credentials))
			.isEqualTo(StunCodec.IntegrityCheck.ABSENT);
	}

	@Test
	void everyTurnAttributeSurvivesARoundTrip() throws Exception {
		InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 40000);
		InetSocketAddress relayed = new InetSocketAddress(InetAddress.getByName("11.22.33.2"), 49152);
		StunMessage message = new StunMessage(StunMessageClass.SUCCESS_RESPONSE, StunMethod.ALLOCATE,
				StunMessage.newTransactionId(),
				List.of(new StunAttribute.XorRelayedAddress(relayed), new StunAttribute.XorPeerAddress(peer),
						new StunAttribute.Lifetime(0xffffffffL), new StunAttribute.Data(new byte[] { 0, 1, 2, 3, 4 }),
						new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.TCP),
						StunAttribute.RequestedAddressFamily.of(java.net.StandardProtocolFamily.INET6),
						new StunAttribute.ChannelNumber(0x4fff), new StunAttribute.ConnectionId(-2),
						new StunAttribute.PasswordAlgorithms(List.of(
								new StunAttribute.PasswordAlgorithm(StunAttribute.PasswordAlgorithm.SHA256),
								new StunAttribute.PasswordAlgorithm(StunAttribute.PasswordAlgorithm.MD5)))),
				true);
		byte[] encoded = StunCodec.encode(message);
		assertThat(StunCodec.decode(encoded)).isEqualTo(message);
		// The XOR hides the relayed address from ALGs: its octets are not on the wire.
		assertThat(HexFormat.of().formatHex(encoded)).doesNotContain("0b162102");
	}

	@Test
	void rejectsMalformedCredentialAndTurnAttributes() {
		assertMalformed(StunAttributeType.LIFETIME, new byte[3]);
		assertMalformed(StunAttributeType.CHANNEL_NUMBER, new byte[] { 0x3f, (byte) 0xff, 0, 0 });
		assertMalformed(StunAttributeType.CHANNEL_NUMBER, new byte[] { 0x50, 0, 0, 0 });
		assertMalformed(StunAttributeType.MESSAGE_INTEGRITY, new byte[19]);
		assertMalformed(StunAttributeType.MESSAGE_INTEGRITY_SHA256, new byte[12]);
		assertMalformed(StunAttributeType.MESSAGE_INTEGRITY_SHA256, new byte[30]);
		assertMalformed(StunAttributeType.REQUESTED_TRANSPORT, new byte[1]);
		assertMalformed(StunAttributeType.PASSWORD_ALGORITHMS, new byte[] { 0, 2, 0, 8, 0, 0, 0, 0 });
		assertMalformed(StunAttributeType.PASSWORD_ALGORITHMS, new byte[0]);
		assertMalformed(StunAttributeType.XOR_RELAYED_ADDRESS, new byte[] { 0, 1, 0, 1 });
		assertMalformed(StunAttributeType.USERNAME, new byte[StunTurnValues.MAX_USERNAME_LENGTH + 3]);
	}

	@Test
	void aBrokenIntegrityAttributeIsInvalidNotAnException() {
		byte[] request = hex(RFC5769_LONG_TERM_REQUEST);
		byte[] truncated = java.util.Arrays.copyOf(request, request.length - 4);
		StunCredentials credentials = StunCredentials.longTerm(KATAKANA_USER, "example.org", "TheMatrIX",
				StunAttribute.PasswordAlgorithm.MD5, StunCredentials.Integrity.SHA1);
		assertThat(StunCodec.checkIntegrity(truncated, credentials)).isEqualTo(StunCodec.IntegrityCheck.INVALID);
		assertThat(StunCodec.checkIntegrity(new byte[3], credentials)).isEqualTo(StunCodec.IntegrityCheck.INVALID);
	}

	@Test
	void passwordsArePreparedAndNeverShown() {
		// OpaqueString: NFC and other spaces as U+0020, so that "e" + combining acute and "é" are one password.
		assertThat(StunCredentials.opaqueString("cafe\u0301\u00a0bar")).isEqualTo("caf\u00e9 bar");
		assertThatIllegalArgumentException().isThrownBy(() -> StunCredentials.shortTerm("u", "tab\there"));
		assertThatIllegalArgumentException().isThrownBy(() -> StunCredentials.shortTerm("u", ""));
		StunCredentials credentials = StunCredentials.longTerm("alice", "lab", "hunter2",
				StunAttribute.PasswordAlgorithm.MD5, StunCredentials.Integrity.SHA1);
		assertThat(credentials.toString()).contains("alice").doesNotContain("hunter2")
			.doesNotContain(HexFormat.of().formatHex(credentials.key()));
	}

	private static void assertMalformed(int type, byte[] value) {
		byte[] attribute = java.nio.ByteBuffer.allocate(4 + ((value.length + 3) & ~3))
			.putShort((short) type)
			.putShort((short) value.length)
			.put(value)
			.array();
		byte[] message = java.nio.ByteBuffer.allocate(StunCodec.HEADER_LENGTH + attribute.length)
			.putShort((short) 0x0101)
			.putShort((short) attribute.length)
			.putInt(StunCodec.MAGIC_COOKIE)
			.put(new byte[12])
			.put(attribute)
			.array();
		assertThatExceptionOfType(MalformedMessageException.class).as(StunAttributeType.name(type))
			.isThrownBy(() -> StunCodec.decode(message));
	}

	private static byte[] hex(String hex) {
		return HexFormat.of().parseHex(hex);
	}

}
