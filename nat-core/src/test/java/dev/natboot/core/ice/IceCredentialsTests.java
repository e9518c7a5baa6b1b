package dev.natboot.core.ice;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Set;

import dev.natboot.core.stun.StunAttribute;
import dev.natboot.core.stun.StunCodec;
import dev.natboot.core.stun.StunMessage;
import dev.natboot.core.stun.StunMessageClass;
import dev.natboot.core.stun.StunMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IceCredentialsTests {

	/** RFC 5769 section 2.1: a connectivity check from h6vY to evtj, signed with evtj's password. */
	private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
			+ "802200105354554e207465737420636c69656e74" + "002400046e0001ff" + "80290008932ff9b151263b36"
			+ "000600096576746a3a68367659202020" + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
			+ "80280004e57a3bcf";

	private static final IceCredentials EVTJ = new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt");

	private static final IceCredentials H6VY = new IceCredentials("h6vY", "anotherPasswordOf22chr");

	@Test
	void checksTheRfc5769ConnectivityCheckWithItsCredentials() throws Exception {
		byte[] request = HexFormat.of().parseHex(RFC5769_REQUEST);
		StunMessage check = StunCodec.decode(request);
		assertThat(check.attribute(StunAttribute.Priority.class)).contains(new StunAttribute.Priority(0x6e0001ffL));
		assertThat(check.attribute(StunAttribute.IceControlled.class))
			.contains(new StunAttribute.IceControlled(0x932ff9b151263b36L));
		assertThat(check.attribute(StunAttribute.Username.class))
			.contains(new StunAttribute.Username(EVTJ.fromPeer(H6VY).username()));
		assertThat(StunCodec.checkIntegrity(request, EVTJ.fromPeer(H6VY))).isEqualTo(StunCodec.IntegrityCheck.VALID);
		assertThat(StunCodec.checkIntegrity(request, H6VY.fromPeer(EVTJ))).isEqualTo(StunCodec.IntegrityCheck.INVALID);
	}

	@Test
	void signsItsOwnChecksSoThatThePeerAcceptsThem() throws Exception {
		StunMessage check = new StunMessage(StunMessageClass.REQUEST, StunMethod.BINDING, StunMessage.newTransactionId(),
				java.util.List.of(new StunAttribute.Username(H6VY.toPeer(EVTJ).username()),
						new StunAttribute.Priority(1845494271L), new StunAttribute.IceControlling(-42L),
						new StunAttribute.UseCandidate()),
				true);
		byte[] encoded = StunCodec.encode(check, H6VY.toPeer(EVTJ));
		StunMessage decoded = StunCodec.decode(encoded);
		assertThat(decoded.attribute(StunAttribute.Username.class)).contains(new StunAttribute.Username("evtj:h6vY"));
		assertThat(decoded.attribute(StunAttribute.IceControlling.class)).contains(new StunAttribute.IceControlling(-42L));
		assertThat(decoded.attribute(StunAttribute.UseCandidate.class)).isPresent();
		assertThat(StunCodec.checkIntegrity(encoded, EVTJ.fromPeer(H6VY))).isEqualTo(StunCodec.IntegrityCheck.VALID);
	}

	@Test
	void makesRandomCredentialsOfIceCharsAndNeverShowsThePassword() {
		SecureRandom random = new SecureRandom();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			IceCredentials credentials = IceCredentials.random(random);
			assertThat(credentials.ufrag()).matches("[A-Za-z0-9+/]{8}");
			assertThat(credentials.pwd()).matches("[A-Za-z0-9+/]{24}");
			assertThat(credentials.toString()).contains(credentials.ufrag()).doesNotContain(credentials.pwd());
			assertThat(seen.add(credentials.pwd())).isTrue();
		}
	}

	@Test
	void refusesCredentialsOutsideRfc8839WithoutEchoingThePassword() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IceCredentials("abc", "VOkJxbRl1RmTxUk/WvJxBt"));
		assertThatIllegalArgumentException().isThrownBy(() -> new IceCredentials("ab:c", "VOkJxbRl1RmTxUk/WvJxBt"));
		assertThatIllegalArgumentException().isThrownBy(() -> new IceCredentials("abcd", "tooShort-secret"))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("tooShort-secret"));
		assertThatIllegalArgumentException().isThrownBy(() -> new IceCredentials("abcd", "x".repeat(257)));
	}

}
