package dev.natboot.core.upnp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * natboot's XML reader, on its own and against the JDK's DOM parser (the reader it replaced) as the oracle: every
 * recorded router document, real router's document of the corpus and fuzzing seed, and tens of thousands of mutations of them, must read into the same
 * tree, or be refused by both.
 */
class XmlReaderTests {

	private static final Path RECORDED = Path.of("src/test/resources/upnp");

	/** Documents real routers sent, from public projects' test data (SOURCES.md names each). */
	private static final Path ROUTER_CORPUS = Path.of("src/test/resources/dev/natboot/core/corpus");

	private static final Path FUZZ_SEEDS = Path.of("src/test/resources/dev/natboot/core/fuzz/ParserFuzzTestsInputs");

	@Test
	void readsElementsTextReferencesAndCdata() throws Exception {
		XmlElement root = read("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- a router -->\n"
				+ "<s:Envelope xmlns:s=\"urn:x\" s:encodingStyle='a&amp;b'><s:Body>"
				+ "<u:R xmlns:u=\"urn:y\"><A>1 &lt; 2 &amp;&#x41;&#66;&quot;&apos;&gt;</A><B/><C><![CDATA[<not>&markup;]]></C>"
				+ "<?pi ignored?><!-- c --><D>x\r\ny\rz</D></u:R></s:Body></s:Envelope>\u0000\u0000");
		assertThat(root.localName()).isEqualTo("Envelope");
		XmlElement response = root.children().get(0).children().get(0);
		assertThat(response.localName()).isEqualTo("R");
		assertThat(response.children()).extracting(XmlElement::localName).containsExactly("A", "B", "C", "D");
		assertThat(response.children().get(0).textContent()).isEqualTo("1 < 2 &AB\"'>");
		assertThat(response.children().get(1).textContent()).isEmpty();
		assertThat(response.children().get(2).textContent()).isEqualTo("<not>&markup;");
		assertThat(response.children().get(3).textContent()).isEqualTo("x\ny\nz");
		assertThat(response.textContent()).isEqualTo("1 < 2 &AB\"'><not>&markup;x\ny\nz");
	}

	@Test
	void readsTheEncodingTheDocumentNames() throws Exception {
		byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><root>Fritz!Box Wohnzimmer \u00e4</root>"
			.getBytes(StandardCharsets.ISO_8859_1);
		assertThat(XmlReader.read(latin1, 32).textContent()).isEqualTo("Fritz!Box Wohnzimmer \u00e4");
		byte[] utf16 = "\uFEFF<?xml version=\"1.0\"?><root>\u00e4\u20ac</root>".getBytes(StandardCharsets.UTF_16BE);
		assertThat(XmlReader.read(utf16, 32).textContent()).isEqualTo("\u00e4\u20ac");
		byte[] bom = ("\uFEFF  <root>\u20ac</root>").getBytes(StandardCharsets.UTF_8);
		assertThat(XmlReader.read(bom, 32).textContent()).isEqualTo("\u20ac");
	}

	@ParameterizedTest
	@ValueSource(strings = { "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
			"<!DOCTYPE r SYSTEM \"http://203.0.113.1/r.dtd\"><r/>", "<r>&x;</r>", "<r>&#0;</r>", "<r>&#xD800;</r>",
			"<r>&#x110000;</r>", "<r>&#12a;</r>", "<r>&;</r>", "<r>& </r>", "<r><a></r></a>", "<r><a></r>", "<r>",
			"<r/><r/>", "<r/>text", "text<r/>", "", "   ", "<r a='1' a='2'/>", "<r a=1/>", "<r a/>", "<r a='<'/>",
			"<r\u0001/>", "<r>\u0001</r>", "<r>\u0000</r>", "<r>]]></r>", "<r><!-- a -- b --></r>", "<r><!-- a</r>",
			"<r><![CDATA[x</r>", "<r><?xml version='1.0'?></r>", "<r><!ENTITY x 'y'></r>", "</r>", "<1r/>", "<r:/>",
			"<a:b:c/>", "<r></R>", "<r a='1'b='2'/>", "<?xml version='1.0'?><?xml version='1.0'?><r/>",
			"<r/><!DOCTYPE r>", "<r>\uFFFE</r>" })
	void refusesWhatIsNotWellFormed(String document) {
		assertThatExceptionOfType(XmlReader.XmlException.class).isThrownBy(() -> read(document));
		assertThat(jdkReads(document.getBytes(StandardCharsets.UTF_8))).as("the JDK's parser refuses it too").isNull();
	}

	@Test
	void refusesNestingDeeperThanItsBoundWithoutUsingTheStack() throws Exception {
		assertThat(read("<a>".repeat(32) + "</a>".repeat(32)).localName()).isEqualTo("a");
		assertThatExceptionOfType(XmlReader.XmlException.class)
			.isThrownBy(() -> read("<a>".repeat(33) + "</a>".repeat(33)))
			.withMessageContaining("deeper than 32");
		assertThatExceptionOfType(XmlReader.XmlException.class)
			.isThrownBy(() -> XmlReader.read("<a>".repeat(100_000).getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE))
			.withMessageContaining("an end inside");
	}

	@Test
	void readsBytesThatAreNotOfTheEncodingAsReplacementCharactersAndRefusesUnknownEncodings() throws Exception {
		byte[] latin1UnderUtf8 = "<root><friendlyName>K\u00fcche</friendlyName></root>".getBytes(StandardCharsets.ISO_8859_1);
		assertThat(XmlReader.read(latin1UnderUtf8, 32).textContent()).isEqualTo("K\uFFFDche");
		assertThatExceptionOfType(XmlReader.XmlException.class)
			.isThrownBy(() -> read("<?xml version='1.0' encoding='no-such-charset'?><r/>"))
			.withMessageContaining("unsupported encoding");
	}

	@Test
	void readsEveryRecordedDocumentAndFuzzingSeedAsTheJdkParserDoes() throws IOException {
		List<byte[]> documents = corpus();
		assertThat(documents).hasSizeGreaterThan(40);
		for (byte[] document : documents) {
			assertSameAsJdk(document);
		}
	}

	/**
	 * Mutations around the markup characters, where a hand-written reader goes wrong: 40,000 of them, seeded so
	 * that a failure repeats. Where the JDK's parser reads a document, this reader must read the same tree; where
	 * this reader reads one the JDK's parser refuses, the only differences allowed are its two leniencies.
	 */
	@Test
	void agreesWithTheJdkParserOnMutatedDocuments() throws IOException {
		List<byte[]> documents = corpus().stream().filter((document) -> jdkReads(document) != null).toList();
		Random random = new Random(Long.getLong("xml.seed", 20261203));
		byte[] alphabet = "<>/&;#x!?-[]='\" \n\r\t\u0000\u0001abAB:0\u00e4\u20ac".getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < Integer.getInteger("xml.mutations", 40_000); i++) {
			byte[] document = documents.get(random.nextInt(documents.size()));
			byte[] mutated = mutate(document, random, alphabet);
			assertSameAsJdk(mutated);
		}
	}

	private static byte[] mutate(byte[] document, Random random, byte[] alphabet) {
		byte[] mutated = document.clone();
		int edits = 1 + random.nextInt(3);
		for (int e = 0; e < edits && mutated.length > 0; e++) {
			int at = random.nextInt(mutated.length);
			byte replacement = alphabet[random.nextInt(alphabet.length)];
			switch (random.nextInt(3)) {
				case 0 -> mutated[at] = replacement;
				case 1 -> {
					byte[] shorter = new byte[mutated.length - 1];
					System.arraycopy(mutated, 0, shorter, 0, at);
					System.arraycopy(mutated, at + 1, shorter, at, mutated.length - at - 1);
					mutated = shorter;
				}
				default -> {
					byte[] longer = new byte[mutated.length + 1];
					System.arraycopy(mutated, 0, longer, 0, at);
					longer[at] = replacement;
					System.arraycopy(mutated, at, longer, at + 1, mutated.length - at);
					mutated = longer;
				}
			}
		}
		return mutated;
	}

	private static void assertSameAsJdk(byte[] document) {
		String expected = jdkReads(document);
		String actual;
		try {
			actual = tree(XmlReader.read(document, SafeXml.MAX_DEPTH));
		}
		catch (XmlReader.XmlException ex) {
			actual = null;
		}
		catch (RuntimeException ex) {
			throw new AssertionError("reading threw " + ex + " for: " + printable(document), ex);
		}
		if (expected != null && !expected.equals(actual)) {
			fail("read %s where the JDK's parser read %s, for: %s", actual, expected, printable(document));
		}
		if (expected == null && actual != null && !jdkRefusesOnlyForALeniency(document)) {
			fail("read %s where the JDK's parser refused: %s", actual, printable(document));
		}
	}

	/**
	 * The two leniencies: prefixes need not be declared (the JDK's parser without namespaces then reads it), and
	 * bytes that are not UTF-8 read as U+FFFD (the JDK's parser reads the document with them replaced).
	 */
	private static boolean jdkRefusesOnlyForALeniency(byte[] document) {
		byte[] replaced = new String(document, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
		return jdkParse(document, false) != null || jdkParse(replaced, true) != null || jdkParse(replaced, false) != null;
	}

	private static String jdkReads(byte[] document) {
		return jdkParse(document, true);
	}

	/** The JDK's parser as SafeXml configured it before: no DOCTYPE, namespaces, depth 32, padding trimmed. */
	private static String jdkParse(byte[] document, boolean namespaceAware) {
		int start = 0;
		int end = document.length;
		if (end >= 3 && (document[0] & 0xff) == 0xef && (document[1] & 0xff) == 0xbb && (document[2] & 0xff) == 0xbf) {
			start = 3;
		}
		while (start < end && isPadding(document[start])) {
			start++;
		}
		while (end > start && isPadding(document[end - 1])) {
			end--;
		}
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setNamespaceAware(namespaceAware);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", "32");
			DocumentBuilder builder = factory.newDocumentBuilder();
			builder.setErrorHandler(null);
			Element root = builder.parse(new ByteArrayInputStream(document, start, end - start)).getDocumentElement();
			return tree(root);
		}
		catch (Exception ex) {
			return null;
		}
	}

	private static boolean isPadding(byte b) {
		return b == 0 || b == ' ' || b == '\t' || b == '\r' || b == '\n';
	}

	private static String tree(XmlElement element) {
		StringBuilder out = new StringBuilder("(").append(element.localName()).append(" '")
			.append(element.textContent()).append('\'');
		for (XmlElement child : element.children()) {
			out.append(' ').append(tree(child));
		}
		return out.append(')').toString();
	}

	private static String tree(Element element) {
		String name = element.getNodeName();
		StringBuilder out = new StringBuilder("(").append(name.substring(name.lastIndexOf(':') + 1)).append(" '")
			.append(element.getTextContent()).append('\'');
		for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element nested) {
				out.append(' ').append(tree(nested));
			}
		}
		return out.append(')').toString();
	}

	private static List<byte[]> corpus() throws IOException {
		List<byte[]> documents = new ArrayList<>();
		for (Path directory : List.of(RECORDED, ROUTER_CORPUS.resolve("descriptions"), ROUTER_CORPUS.resolve("soap"),
				FUZZ_SEEDS.resolve("deviceDescription"), FUZZ_SEEDS.resolve("soapResponse"))) {
			try (Stream<Path> files = Files.list(directory)) {
				files.filter((file) -> !file.getFileName().toString().endsWith(".md")
						&& !file.getFileName().toString().endsWith(".txt"))
					.sorted()
					.forEach((file) -> documents.add(readAll(file)));
			}
		}
		return documents;
	}

	private static byte[] readAll(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String printable(byte[] document) {
		String text = new String(document, StandardCharsets.UTF_8);
		return (text.length() > 600) ? text.substring(0, 600) + "..." : text;
	}

	private static XmlElement read(String document) throws XmlReader.XmlException {
		return XmlReader.read(document.getBytes(StandardCharsets.UTF_8), SafeXml.MAX_DEPTH);
	}

}
