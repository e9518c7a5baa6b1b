package dev.natboot.core.turn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TurnServerTests {

	@Test
	void readsTheFormsOfRfc7065() {
		assertThat(TurnServer.parse("turn:turn.example.org"))
			.isEqualTo(new TurnServer("turn.example.org", 3478, TurnServer.Transport.UDP));
		assertThat(TurnServer.parse("turn:11.22.33.2:3479?transport=tcp"))
			.isEqualTo(new TurnServer("11.22.33.2", 3479, TurnServer.Transport.TCP));
		assertThat(TurnServer.parse(" TURN:[2001:db8::1]?transport=UDP "))
			.isEqualTo(new TurnServer("2001:db8::1", 3478, TurnServer.Transport.UDP));
		assertThat(TurnServer.parse("turns:turn.example.org"))
			.isEqualTo(new TurnServer("turn.example.org", 5349, TurnServer.Transport.TLS));
		assertThat(TurnServer.parse("turns:turn.example.org:443?transport=tcp"))
			.isEqualTo(new TurnServer("turn.example.org", 443, TurnServer.Transport.TLS));
	}

	@Test
	void writesTheFormItReads() {
		for (String uri : new String[] { "turn:11.22.33.2:3478?transport=udp", "turn:[2001:db8::1]:3478?transport=tcp",
				"turns:turn.example.org:5349?transport=tcp" }) {
			assertThat(TurnServer.parse(uri).uri()).isEqualTo(uri);
		}
	}

	@Test
	void refusesWhatIsNoTurnUri() {
		assertThatIllegalArgumentException().isThrownBy(() -> TurnServer.parse("stun:11.22.33.2"));
		assertThatIllegalArgumentException().isThrownBy(() -> TurnServer.parse("turn:host?transport=sctp"))
			.withMessageContaining("sctp");
		assertThatIllegalArgumentException().isThrownBy(() -> TurnServer.parse("turns:host?transport=udp"));
		assertThatIllegalArgumentException().isThrownBy(() -> TurnServer.parse("turn:host:70000"));
		assertThatIllegalArgumentException().isThrownBy(() -> TurnServer.parse("turn:[nothex]"));
		assertThatIllegalArgumentException().isThrownBy(() -> TurnServer.parse("turn:user:pw@host"));
	}

}
