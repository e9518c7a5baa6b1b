package dev.natboot.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * Parses an HTTP/1.x answer as its bytes arrive: the status line, the framing headers, and a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection. Every length is bounded.
 */
final class HttpAnswerParser {

	private HttpAnswerParser() {
	}

	/**
	 * The answer, if the bytes so far hold all of it.
	 * @param data everything received
	 * @param ended whether the server closed the connection
	 * @param maxBodyLength largest body accepted
	 * @return the answer, or {@code null} if more is needed
	 * @throws MalformedMessageException if the bytes cannot be a valid answer within the bounds
	 */
	static LoopHttpClient.@Nullable Answer parseIfComplete(byte[] data, boolean ended, int maxBodyLength)
			throws MalformedMessageException {
		int headerEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		int separator = 4;
		if (headerEnd < 0) {
			headerEnd = indexOf(data, "\n\n".getBytes(StandardCharsets.ISO_8859_1));
			separator = 2;
		}
		if (headerEnd < 0) {
			if (data.length > LoopHttpClient.MAX_HEADER_LENGTH) {
				throw new MalformedMessageException("HTTP header section exceeds " + LoopHttpClient.MAX_HEADER_LENGTH);
			}
			if (ended) {
				throw new MalformedMessageException("Connection closed inside the HTTP header section");
			}
			return null;
		}
		String[] lines = new String(data, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r?\n");
		String[] statusLine = lines[0].split(" ", 3);
		if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
			throw new MalformedMessageException("Not an HTTP/1 status line: '" + abbreviate(lines[0]) + "'");
		}
		int status;
		try {
			status = Integer.parseInt(statusLine[1]);
		}
		catch (NumberFormatException ex) {
			throw new MalformedMessageException("HTTP status '" + abbreviate(statusLine[1]) + "' is not a number");
		}
		long contentLength = -1;
		boolean chunked = false;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = lines[i].substring(colon + 1).trim();
			if (name.equals("content-length")) {
				try {
					contentLength = Long.parseLong(value);
				}
				catch (NumberFormatException ex) {
					throw new MalformedMessageException("Content-Length '" + abbreviate(value) + "' is not a number");
				}
			}
			else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
				chunked = true;
			}
		}
		int bodyStart = headerEnd + separator;
		int available = data.length - bodyStart;
		if (chunked) {
			byte[] body = dechunk(data, bodyStart, maxBodyLength);
			if (body == null && ended) {
				throw new MalformedMessageException("Connection closed inside a chunked body");
			}
			return (body != null) ? new LoopHttpClient.Answer(status, body) : null;
		}
		if (contentLength >= 0) {
			if (contentLength > maxBodyLength) {
				throw new MalformedMessageException("Body of " + contentLength + " octets exceeds " + maxBodyLength);
			}
			if (available >= contentLength) {
				return new LoopHttpClient.Answer(status, Arrays.copyOfRange(data, bodyStart, bodyStart + (int) contentLength));
			}
			if (ended) {
				throw new MalformedMessageException("Body truncated: " + available + " of " + contentLength + " octets");
			}
			return null;
		}
		if (available > maxBodyLength) {
			throw new MalformedMessageException("Body exceeds " + maxBodyLength + " octets");
		}
		return ended ? new LoopHttpClient.Answer(status, Arrays.copyOfRange(data, bodyStart, data.length)) : null;
	}

	/** The de-chunked body, or null if the last chunk has not arrived yet. */
	private static byte @Nullable [] dechunk(byte[] data, int start, int maxBodyLength) throws MalformedMessageException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int position = start;
		while (true) {
			int lineEnd = indexOf(data, position, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
			if (lineEnd < 0) {
				if (data.length - position > 32) {
					throw new MalformedMessageException("Chunk size line too long");
				}
				return null;
			}
			String sizeText = new String(data, position, lineEnd - position, StandardCharsets.ISO_8859_1).split(";", 2)[0].trim();
			int size;
			try {
				size = Integer.parseInt(sizeText, 16);
			}
			catch (NumberFormatException ex) {
				throw new MalformedMessageException("Chunk size '" + abbreviate(sizeText) + "' is not hexadecimal");
			}
			if (size < 0 || body.size() + (long) size > maxBodyLength) {
				throw new MalformedMessageException("Chunked body exceeds " + maxBodyLength + " octets");
			}
			int chunkStart = lineEnd + 2;
			if (size == 0) {
				return body.toByteArray(); // trailers, if any, are not needed
			}
			if (data.length < chunkStart + size + 2) {
				return null;
			}
			body.write(data, chunkStart, size);
			position = chunkStart + size + 2;
		}
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		return indexOf(data, 0, pattern);
	}

	private static int indexOf(byte[] data, int from, byte[] pattern) {
		outer: for (int i = from; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static String abbreviate(String text) {
		String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
		return (printable.length() > 60) ? printable.substring(0, 60) + "..." : printable;
	}

}
