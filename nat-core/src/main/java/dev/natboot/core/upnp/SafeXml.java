package dev.natboot.core.upnp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The JDK's XML parser, hardened for documents from devices on the LAN: no DOCTYPE at all (so no DTD, no
 * entity expansion, no external entity), no XInclude, secure processing on, a size bound checked before
 * parsing and a nesting bound the parser enforces (a description thousands of elements deep would otherwise
 * reach the stack of whoever walks it). Elements are looked up by local name in any letter case, because routers
 * disagree on both. What real routers put around the document is tolerated: a byte order mark, blanks before
 * the XML declaration and NUL characters after the last element (D-Link DSL-3900, for one).
 */
final class SafeXml {

	private static final ErrorHandler FAIL = new ErrorHandler() {

		@Override
		public void warning(SAXParseException exception) {
		}

		@Override
		public void error(SAXParseException exception) throws SAXException {
			throw exception;
		}

		@Override
		public void fatalError(SAXParseException exception) throws SAXException {
			throw exception;
		}

	};

	/**
	 * One hardened parser per thread, reset before each use: creating the factory and the parser costs more than
	 * parsing a router's document (measured with CodecBenchmarks), and the engine parses on one thread.
	 */
	private static final ThreadLocal<DocumentBuilder> builders = ThreadLocal.withInitial(SafeXml::newBuilder);

	/**
	 * Deepest element nesting accepted. A device description nests nine or ten elements deep (root, device,
	 * deviceList, device, deviceList, device, serviceList, service, controlURL), a SOAP fault six.
	 */
	static final int MAX_DEPTH = 32;

	/** The JDK parser's own nesting limit (JAXP 1.5 processing limits). */
	private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

	private SafeXml() {
	}

	static Document parse(byte[] xml, int maxLength, String what) throws MalformedMessageException {
		if (xml.length > maxLength) {
			throw new MalformedMessageException(what + " of " + xml.length + " octets exceeds " + maxLength);
		}
		DocumentBuilder builder = builders.get();
		builder.reset();
		builder.setErrorHandler(FAIL);
		builder.setEntityResolver((publicId, systemId) -> {
			throw new SAXException("External entity refused: " + systemId);
		});
		int start = 0;
		int end = xml.length;
		if (end >= 3 && (xml[0] & 0xff) == 0xef && (xml[1] & 0xff) == 0xbb && (xml[2] & 0xff) == 0xbf) {
			start = 3;
		}
		while (start < end && isPadding(xml[start])) {
			start++;
		}
		while (end > start && isPadding(xml[end - 1])) {
			end--;
		}
		try {
			return builder.parse(new ByteArrayInputStream(xml, start, end - start));
		}
		catch (SAXException | IOException ex) {
			throw new MalformedMessageException(what + " is not well-formed XML: " + ex.getMessage());
		}
		finally {
			builder.reset(); // let go of the document's parse state until the next use
		}
	}

	private static boolean isPadding(byte b) {
		return b == 0 || b == ' ' || b == '\t' || b == '\r' || b == '\n';
	}

	private static DocumentBuilder newBuilder() {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setNamespaceAware(true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
			factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
			factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
			factory.setXIncludeAware(false);
			factory.setExpandEntityReferences(false);
			factory.setAttribute(MAX_ELEMENT_DEPTH, String.valueOf(MAX_DEPTH));
			return factory.newDocumentBuilder();
		}
		catch (ParserConfigurationException ex) {
			throw new IllegalStateException("The JDK's XML parser cannot be hardened", ex);
		}
	}

	static String localName(Node node) {
		String name = (node.getLocalName() != null) ? node.getLocalName() : node.getNodeName();
		int colon = name.indexOf(':');
		return (colon >= 0) ? name.substring(colon + 1) : name;
	}

	static List<Element> children(Element parent, String localName) {
		List<Element> found = new ArrayList<>();
		for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element element && localName(element).equalsIgnoreCase(localName)) {
				found.add(element);
			}
		}
		return found;
	}

	static List<Element> children(Element parent) {
		List<Element> found = new ArrayList<>();
		for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element element) {
				found.add(element);
			}
		}
		return found;
	}

	static @Nullable Element child(Element parent, String localName) {
		List<Element> found = children(parent, localName);
		return found.isEmpty() ? null : found.get(0);
	}

	static @Nullable String childText(Element parent, String localName) {
		Element child = child(parent, localName);
		return (child != null) ? child.getTextContent().trim() : null;
	}

	/**
	 * The first element with that local name at any depth, in document order. Walks the tree without recursion,
	 * so a deep document costs no stack.
	 */
	static @Nullable Element find(Element root, String localName) {
		Node node = root;
		while (node != null) {
			if (node instanceof Element element && localName(element).equalsIgnoreCase(localName)) {
				return element;
			}
			Node next = node.getFirstChild();
			while (next == null && node != null && node != root) {
				next = node.getNextSibling();
				if (next == null) {
					node = node.getParentNode();
				}
			}
			node = next;
		}
		return null;
	}

}
