package dev.natboot.core.upnp;

import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.MalformedMessageException;
import org.jspecify.annotations.Nullable;

/**
 * XML from devices on the LAN, read by natboot's own {@link XmlReader}: no DOCTYPE at all (so no DTD, no entity
 * expansion, no external entity, nothing fetched), a size bound checked before reading and a nesting bound
 * checked while reading (a description thousands of elements deep would otherwise reach the stack of whoever
 * walks it). Elements are looked up by local name in any letter case, because routers disagree on both. What
 * real routers put around the document is tolerated: a byte order mark, blanks before the XML declaration and
 * NUL characters after the last element (D-Link DSL-3900, for one).
 */
final class SafeXml {

	/**
	 * Deepest element nesting accepted. A device description nests nine or ten elements deep (root, device,
	 * deviceList, device, deviceList, device, serviceList, service, controlURL), a SOAP fault six.
	 */
	static final int MAX_DEPTH = 32;

	private SafeXml() {
	}

	static XmlElement parse(byte[] xml, int maxLength, String what) throws MalformedMessageException {
		if (xml.length > maxLength) {
			throw new MalformedMessageException(what + " of " + xml.length + " octets exceeds " + maxLength);
		}
		try {
			return XmlReader.read(xml, MAX_DEPTH);
		}
		catch (XmlReader.XmlException ex) {
			throw new MalformedMessageException(what + " is not well-formed XML: it has " + ex.getMessage());
		}
	}

	static String localName(XmlElement element) {
		return element.localName();
	}

	static List<XmlElement> children(XmlElement parent, String localName) {
		List<XmlElement> found = new ArrayList<>();
		for (XmlElement child : parent.children()) {
			if (child.localName().equalsIgnoreCase(localName)) {
				found.add(child);
			}
		}
		return found;
	}

	static List<XmlElement> children(XmlElement parent) {
		return parent.children();
	}

	static @Nullable XmlElement child(XmlElement parent, String localName) {
		for (XmlElement child : parent.children()) {
			if (child.localName().equalsIgnoreCase(localName)) {
				return child;
			}
		}
		return null;
	}

	static @Nullable String childText(XmlElement parent, String localName) {
		XmlElement child = child(parent, localName);
		return (child != null) ? child.textContent().trim() : null;
	}

	/**
	 * The first element with that local name at any depth, in document order. Walks the tree with a stack of
	 * its own, so a deep document costs no thread stack.
	 */
	static @Nullable XmlElement find(XmlElement root, String localName) {
		List<XmlElement> pending = new ArrayList<>();
		pending.add(root);
		while (!pending.isEmpty()) {
			XmlElement element = pending.remove(pending.size() - 1);
			if (element.localName().equalsIgnoreCase(localName)) {
				return element;
			}
			List<XmlElement> children = element.children();
			for (int i = children.size() - 1; i >= 0; i--) {
				pending.add(children.get(i));
			}
		}
		return null;
	}

}
