package dev.natboot.core.io;

import java.nio.charset.StandardCharsets;

import dev.natboot.core.MalformedMessageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HttpAnswerParserTests {

	@Test
	void waitsForTheWholeBodyByContentLength() throws Exception {
		String answer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel";
		assertThat(parse(answer, false)).isNull();
		LoopHttpClient.Answer complete = parse(answer + "lo", false);
		assertThat(complete.status()).isEqualTo(200);
		assertThat(new String(complete.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
	}

	@Test
	void readsChunkedBodies() throws Exception {
		String answer = "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nfaul\r\n1;x=y\r\nt\r\n";
		assertThat(parse(answer, false)).isNull();
		LoopHttpClient.Answer complete = parse(answer + "0\r\n\r\n", false);
		assertThat(complete.status()).isEqualTo(500);
		assertThat(new String(complete.body(), StandardCharsets.UTF_8)).isEqualTo("fault");
	}

	@Test
	void readsUntilCloseWithoutFraming() throws Exception {
		assertThat(parse("HTTP/1.0 200 OK\n\nbody", false)).isNull();
		assertThat(new String(parse("HTTP/1.0 200 OK\n\nbody", true).body(), StandardCharsets.UTF_8)).isEqualTo("body");
	}

	@Test
	void boundsEverything() {
		assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n", false, "exceeds");
		assertMalformed("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(101), true, "exceeds");
		assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfff\r\n", false, "exceeds");
		assertMalformed("HTTP/1.1 200 OK\r\nX: " + "y".repeat(LoopHttpClient.MAX_HEADER_LENGTH), false, "header section");
		assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true, "truncated");
		assertMalformed("SSH-2.0-OpenSSH\r\n\r\n", false, "status line");
		assertMalformed("HTTP/1.1 abc OK\r\n\r\n", false, "not a number");
		assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, "hexadecimal");
		assertMalformed("HTTP/1.1 200 OK\r\nContent-Le", true, "header section");
	}

	private static LoopHttpClient.Answer parse(String data, boolean ended) throws MalformedMessageException {
		return HttpAnswerParser.parseIfComplete(data.getBytes(StandardCharsets.ISO_8859_1), ended, 100);
	}

	private static void assertMalformed(String data, boolean ended, String message) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> parse(data, ended))
			.withMessageContaining(message);
	}

}
