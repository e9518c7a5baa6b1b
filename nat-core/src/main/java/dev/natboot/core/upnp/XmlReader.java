package dev.natboot.core.upnp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads the XML that routers send (device descriptions, SOAP answers) into {@link XmlElement}s: the well-formed
 * subset of XML 1.0 without a document type. It knows no DTD, so it cannot fetch one, expand an entity other than
 * the five predefined ones and character references, or be made to read anything but the bytes it was given.
 *
 * <p>It replaced the JDK's DOM parser, which cost about 50 ms of CPU and 350 loaded classes at its first use, in
 * the middle of the application's start, to read a document of a few kilobytes. What it checks is what a
 * non-validating parser must: one root element, tags that nest and match, quoted and unique attributes, known
 * references, legal characters, comments and processing instructions in their form. It is more lenient
 * in two places: namespace prefixes need not be declared, since elements are looked up by local name anyway, and
 * a byte that is not of the document's encoding reads as U+FFFD instead of failing the document.
 */
final class XmlReader {

	/** Attributes accepted on one element: routers put one to three namespace declarations there. */
	static final int MAX_ATTRIBUTES = 64;

	private static final int MAX_ENCODING_NAME = 40;

	private final char[] in;

	private final int length;

	private final int maxDepth;

	private final StringBuilder text = new StringBuilder();

	private int pos;

	private XmlReader(char[] in, int length, int maxDepth) {
		this.in = in;
		this.length = length;
		this.maxDepth = maxDepth;
	}

	/**
	 * Reads a document.
	 * @param xml the document's bytes, in the encoding its byte order mark or declaration names (UTF-8 if none)
	 * @param maxDepth deepest element nesting accepted
	 * @return the root element
	 * @throws XmlException if the document is not well-formed or nests deeper
	 */
	static XmlElement read(byte[] xml, int maxDepth) throws XmlException {
		char[] chars = normalized(decode(xml));
		int end = chars.length;
		while (end > 0 && isPadding(chars[end - 1])) {
			end--;
		}
		int start = 0;
		while (start < end && isPadding(chars[start])) {
			start++;
		}
		for (int i = start; i < end; i++) {
			if (chars[i] == 0) {
				throw new XmlException("a NUL character inside the document");
			}
		}
		XmlReader reader = new XmlReader(chars, end, maxDepth);
		reader.pos = start;
		return reader.document();
	}

	/** What real routers put around the document: blanks, and NUL characters after it (D-Link DSL-3900). */
	private static boolean isPadding(char c) {
		return c == 0 || c == ' ' || c == '\t' || c == '\n';
	}

	private static CharBuffer decode(byte[] xml) throws XmlException {
		Charset charset = StandardCharsets.UTF_8;
		int skip = 0;
		if (xml.length >= 2 && (xml[0] & 0xff) == 0xfe && (xml[1] & 0xff) == 0xff) {
			charset = StandardCharsets.UTF_16BE;
			skip = 2;
		}
		else if (xml.length >= 2 && (xml[0] & 0xff) == 0xff && (xml[1] & 0xff) == 0xfe) {
			charset = StandardCharsets.UTF_16LE;
			skip = 2;
		}
		else {
			if (xml.length >= 3 && (xml[0] & 0xff) == 0xef && (xml[1] & 0xff) == 0xbb && (xml[2] & 0xff) == 0xbf) {
				skip = 3;
			}
			String declared = declaredEncoding(xml, skip);
			if (declared != null) {
				charset = charsetNamed(declared);
			}
		}
		// A byte that is not of the encoding (a name in Latin-1 under a UTF-8 declaration) reads as U+FFFD, where
		// the JDK's parser refused the whole document: one garbled friendlyName must not lose the router.
		return charset.decode(ByteBuffer.wrap(xml, skip, xml.length - skip));
	}

	private static Charset charsetNamed(String name) throws XmlException {
		try {
			Charset charset = Charset.forName(name);
			if (charset.name().startsWith("UTF-16") || charset.name().startsWith("UTF-32")) {
				// written in ASCII-compatible bytes, or the declaration could not have been read
				throw new XmlException("a declared encoding of " + name + " in single bytes");
			}
			return charset;
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw new XmlException("an unsupported encoding " + name);
		}
	}

	/** The encoding an ASCII-compatible XML declaration names, if it has one. */
	private static @Nullable String declaredEncoding(byte[] xml, int start) {
		int i = start;
		while (i < xml.length && (xml[i] == ' ' || xml[i] == '\t' || xml[i] == '\r' || xml[i] == '\n')) {
			i++;
		}
		if (!startsWith(xml, i, "<?xml")) {
			return null;
		}
		int limit = Math.min(xml.length, i + 256);
		for (int at = i + 5; at < limit - 1 && !(xml[at] == '?' && xml[at + 1] == '>'); at++) {
			if (startsWith(xml, at, "encoding")) {
				int q = at + 8;
				while (q < limit && (xml[q] == ' ' || xml[q] == '=')) {
					q++;
				}
				if (q >= limit || (xml[q] != '"' && xml[q] != '\'')) {
					return null;
				}
				int nameStart = q + 1;
				int nameEnd = nameStart;
				while (nameEnd < limit && xml[nameEnd] != xml[q] && nameEnd - nameStart <= MAX_ENCODING_NAME) {
					nameEnd++;
				}
				return new String(xml, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
			}
		}
		return null;
	}

	private static boolean startsWith(byte[] xml, int at, String prefix) {
		if (at + prefix.length() > xml.length) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			if (xml[at + i] != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/** XML's end-of-line handling (CR LF and CR become LF) and its legal characters, in one pass. */
	private static char[] normalized(CharBuffer decoded) throws XmlException {
		char[] out = new char[decoded.remaining()];
		int n = 0;
		int start = 0;
		if (decoded.remaining() > 0 && decoded.get(0) == '\uFEFF') {
			start = 1;
		}
		for (int i = start; i < decoded.limit(); i++) {
			char c = decoded.get(i);
			if (c == '\r') {
				if (i + 1 < decoded.limit() && decoded.get(i + 1) == '\n') {
					i++;
				}
				c = '\n';
			}
			else if ((c < 0x20 && c != '\t' && c != '\n' && c != 0) || c == '\uFFFE' || c == '\uFFFF') {
				throw new XmlException("the illegal character U+" + Integer.toHexString(c));
			}
			out[n++] = c;
		}
		return (n == out.length) ? out : Arrays.copyOf(out, n);
	}

	private XmlElement document() throws XmlException {
		if (lookingAt("<?xml") && this.pos + 5 < this.length && isWhitespace(this.in[this.pos + 5])) {
			declaration();
		}
		misc(true);
		if (this.pos >= this.length) {
			throw new XmlException("no root element");
		}
		if (this.in[this.pos] != '<') {
			throw new XmlException("text before the root element");
		}
		XmlElement root = elements();
		misc(false);
		if (this.pos < this.length) {
			throw new XmlException("content after the root element");
		}
		return root;
	}

	/** {@code <?xml version="1.0" encoding="..." standalone="..."?>}: in that order, the last two optional. */
	private void declaration() throws XmlException {
		this.pos += 5;
		String[] names = { "version", "encoding", "standalone" };
		int next = 0;
		while (true) {
			boolean spaced = skipWhitespace();
			if (lookingAt("?>")) {
				this.pos += 2;
				if (next == 0) {
					throw new XmlException("an XML declaration without a version");
				}
				return;
			}
			if (!spaced) {
				throw new XmlException("an XML declaration that does not end");
			}
			String name = name();
			while (next < names.length && !names[next].equals(name)) {
				if (next == 0) {
					throw new XmlException("an XML declaration without a version");
				}
				next++;
			}
			if (next == names.length) {
				throw new XmlException("the XML declaration's " + name);
			}
			skipWhitespace();
			expect('=');
			skipWhitespace();
			String value = quotedPseudoAttribute(name);
			boolean valid = switch (next) {
				case 0 -> value.equals("1.0") || value.equals("1.1");
				case 1 -> !value.isEmpty() && isEncodingName(value);
				default -> value.equals("yes") || value.equals("no");
			};
			if (!valid) {
				throw new XmlException("the XML declaration's " + name + " \"" + value + "\"");
			}
			next++;
		}
	}

	private String quotedPseudoAttribute(String name) throws XmlException {
		char quote = (this.pos < this.length) ? this.in[this.pos] : 0;
		if (quote != '"' && quote != '\'') {
			throw new XmlException("the XML declaration's " + name + " without a quoted value");
		}
		int start = ++this.pos;
		while (this.pos < this.length && this.in[this.pos] != quote && this.pos - start < MAX_ENCODING_NAME) {
			this.pos++;
		}
		String value = new String(this.in, start, this.pos - start);
		expect(quote);
		return value;
	}

	private static boolean isEncodingName(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
			if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))) {
				return false;
			}
		}
		return true;
	}

	/** Comments, processing instructions and blanks outside the root element. */
	private void misc(boolean beforeRoot) throws XmlException {
		while (true) {
			skipWhitespace();
			if (lookingAt("<!--")) {
				comment();
			}
			else if (lookingAt("<?")) {
				processingInstruction();
			}
			else if (lookingAt("<!DOCTYPE")) {
				throw new XmlException(beforeRoot ? "a DOCTYPE, which is refused" : "a DOCTYPE after the root");
			}
			else {
				return;
			}
		}
	}

	/** The root element and everything in it, without recursion: a stack of the open elements. */
	private XmlElement elements() throws XmlException {
		List<XmlElement> open = new ArrayList<>();
		List<String> openNames = new ArrayList<>();
		if (lookingAt("</") || lookingAt("<!")) {
			throw new XmlException("markup where the root element belongs");
		}
		XmlElement root = startTag(null, open, openNames);
		while (!open.isEmpty()) {
			if (this.pos >= this.length) {
				throw new XmlException("an end inside <" + openNames.get(openNames.size() - 1) + ">");
			}
			char c = this.in[this.pos];
			if (c == '<') {
				if (lookingAt("</")) {
					this.pos += 2;
					String name = name();
					skipWhitespace();
					expect('>');
					String expected = openNames.remove(openNames.size() - 1);
					if (!name.equals(expected)) {
						throw new XmlException("</" + name + "> closing <" + expected + ">");
					}
					open.remove(open.size() - 1).end();
				}
				else if (lookingAt("<!--")) {
					comment();
				}
				else if (lookingAt("<![CDATA[")) {
					int start = this.pos + 9;
					skipPast("]]>", "a CDATA section");
					this.text.append(this.in, start, this.pos - 3 - start);
				}
				else if (lookingAt("<?")) {
					processingInstruction();
				}
				else if (lookingAt("<!")) {
					throw new XmlException("a markup declaration inside an element");
				}
				else {
					startTag(open.get(open.size() - 1), open, openNames);
				}
			}
			else if (c == '&') {
				this.text.appendCodePoint(reference());
			}
			else {
				characters();
			}
		}
		return root;
	}

	private XmlElement startTag(@Nullable XmlElement parent, List<XmlElement> open, List<String> openNames)
			throws XmlException {
		if (open.size() >= this.maxDepth) {
			throw new XmlException("elements nested deeper than " + this.maxDepth);
		}
		this.pos++;
		String name = name();
		XmlElement element = new XmlElement(localName(name), this.text);
		if (parent != null) {
			parent.addChild(element);
		}
		if (attributes()) {
			element.end();
		}
		else {
			open.add(element);
			openNames.add(name);
		}
		return element;

	}

	/** Character data up to the next markup. */
	private void characters() throws XmlException {
		int start = this.pos;
		while (this.pos < this.length && this.in[this.pos] != '<' && this.in[this.pos] != '&') {
			if (this.in[this.pos] == '>' && this.pos - start >= 2 && this.in[this.pos - 1] == ']'
					&& this.in[this.pos - 2] == ']') {
				throw new XmlException("]]> in character data");
			}
			this.pos++;
		}
		this.text.append(this.in, start, this.pos - start);
	}

	/**
	 * An element's attributes, checked and dropped, and the end of its start tag.
	 * @return whether the tag closed itself ({@code />})
	 */
	private boolean attributes() throws XmlException {
		List<String> seen = new ArrayList<>(2);
		while (true) {
			boolean spaced = skipWhitespace();
			if (lookingAt("/>")) {
				this.pos += 2;
				return true;
			}
			if (lookingAt(">")) {
				this.pos++;
				return false;
			}
			if (!spaced) {
				throw new XmlException("a start tag that does not end");
			}
			String name = name();
			if (seen.contains(name)) {
				throw new XmlException("the attribute " + name + " twice");
			}
			if (seen.size() >= MAX_ATTRIBUTES) {
				throw new XmlException("more than " + MAX_ATTRIBUTES + " attributes on one element");
			}
			seen.add(name);
			skipWhitespace();
			expect('=');
			skipWhitespace();
			char quote = (this.pos < this.length) ? this.in[this.pos] : 0;
			if (quote != '"' && quote != '\'') {
				throw new XmlException("the attribute " + name + " without a quoted value");
			}
			this.pos++;
			while (this.pos < this.length && this.in[this.pos] != quote) {
				char c = this.in[this.pos];
				if (c == '<') {
					throw new XmlException("a < in the attribute " + name);
				}
				if (c == '&') {
					reference();
				}
				else {
					this.pos++;
				}
			}
			expect(quote);
		}
	}

	/** A predefined entity or a character reference, as the code point it stands for. */
	private int reference() throws XmlException {
		int semicolon = -1;
		for (int i = this.pos + 1; i < Math.min(this.length, this.pos + 12); i++) {
			if (this.in[i] == ';') {
				semicolon = i;
				break;
			}
		}
		if (semicolon < 0) {
			throw new XmlException("an & that starts no reference");
		}
		String reference = new String(this.in, this.pos + 1, semicolon - this.pos - 1);
		this.pos = semicolon + 1;
		switch (reference) {
			case "lt":
				return '<';
			case "gt":
				return '>';
			case "amp":
				return '&';
			case "quot":
				return '"';
			case "apos":
				return '\'';
			default:
				return characterReference(reference);
		}
	}

	private static int characterReference(String reference) throws XmlException {
		if (!reference.startsWith("#") || reference.length() < 2) {
			throw new XmlException("the undeclared entity &" + reference + ";");
		}
		boolean hex = reference.charAt(1) == 'x';
		String digits = reference.substring(hex ? 2 : 1);
		int codePoint = 0;
		for (int i = 0; i < digits.length(); i++) {
			int digit = Character.digit(digits.charAt(i), hex ? 16 : 10);
			if (digit < 0 || digits.charAt(i) > 'f') {
				throw new XmlException("the character reference &" + reference + ";");
			}
			codePoint = codePoint * (hex ? 16 : 10) + digit;
		}
		if (digits.isEmpty()) {
			throw new XmlException("the character reference &" + reference + ";");
		}
		boolean legal = codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD
				|| (codePoint >= 0x20 && codePoint <= 0xD7FF) || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
				|| (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
		if (!legal) {
			throw new XmlException("a reference to the illegal character &" + reference + ";");
		}
		return codePoint;
	}

	private void comment() throws XmlException {
		int start = this.pos + 4;
		for (int i = start; i + 1 < this.length; i++) {
			if (this.in[i] == '-' && this.in[i + 1] == '-') {
				if (i + 2 < this.length && this.in[i + 2] == '>') {
					this.pos = i + 3;
					return;
				}
				throw new XmlException("-- inside a comment");
			}
		}
		throw new XmlException("a comment that does not end");
	}

	private void processingInstruction() throws XmlException {
		this.pos += 2;
		String target = name();
		if (target.equalsIgnoreCase("xml")) {
			throw new XmlException("an XML declaration that is not at the start");
		}
		if (!skipWhitespace() && !lookingAt("?>")) {
			throw new XmlException("a processing instruction's target " + target + " followed by no blank");
		}
		skipPast("?>", "a processing instruction");
	}

	/**
	 * An XML name: ASCII as XML 1.0's productions say, other characters if they are letters (or, after the first,
	 * digits), which is close to the tables of XML 1.0's fourth edition that the JDK's parser applies.
	 */
	private String name() throws XmlException {
		int start = this.pos;
		while (this.pos < this.length && isNameChar(this.in[this.pos], this.pos == start)) {
			this.pos++;
		}
		if (this.pos == start) {
			throw new XmlException("a tag or attribute without a name");
		}
		return new String(this.in, start, this.pos - start);
	}

	private static boolean isNameChar(char c, boolean first) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':') {
			return true;
		}
		if (c >= 0x80) {
			return first ? Character.isLetter(c) : (Character.isLetterOrDigit(c) || c == 0xB7);
		}
		return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
	}

	private static String localName(String name) throws XmlException {
		int colon = name.lastIndexOf(':');
		if (colon == name.length() - 1 || colon != name.indexOf(':')) {
			throw new XmlException("the element name " + name);
		}
		return (colon >= 0) ? name.substring(colon + 1) : name;
	}

	private boolean skipWhitespace() {
		int start = this.pos;
		while (this.pos < this.length && isWhitespace(this.in[this.pos])) {
			this.pos++;
		}
		return this.pos > start;
	}

	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\n';
	}

	private boolean lookingAt(String markup) {
		return this.pos + markup.length() <= this.length && lookingAt(this.pos, markup);
	}

	private void expect(char c) throws XmlException {
		if (this.pos >= this.length || this.in[this.pos] != c) {
			throw new XmlException((this.pos >= this.length) ? "an early end where " + c + " belongs"
					: "'" + this.in[this.pos] + "' where " + c + " belongs");
		}
		this.pos++;
	}

	private void skipPast(String end, String what) throws XmlException {
		for (int i = this.pos; i + end.length() <= this.length; i++) {
			if (this.in[i] == end.charAt(0) && lookingAt(i, end)) {
				this.pos = i + end.length();
				return;
			}
		}
		throw new XmlException(what + " that does not end");
	}

	private boolean lookingAt(int at, String markup) {
		for (int i = 0; i < markup.length(); i++) {
			if (this.in[at + i] != markup.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/** What is wrong with a document; {@link SafeXml} names the document. */
	static final class XmlException extends Exception {

		private static final long serialVersionUID = 1L;

		XmlException(String problem) {
			super(problem, null, false, false);
		}

	}

}
