package dev.natboot.core.upnp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An element of a document read by {@link XmlReader}: its local name (the prefix dropped), its child elements and
 * the character data it holds. Attributes are checked for well-formedness and dropped, because nothing a router
 * sends carries meaning in them that natboot uses.
 */
final class XmlElement {

	private final String localName;

	private final List<XmlElement> children = new ArrayList<>(4);

	/** Every element's character data lives in one buffer of the document; an element knows its span of it. */
	private final StringBuilder documentText;

	private final int textStart;

	private int textEnd;

	XmlElement(String localName, StringBuilder documentText) {
		this.localName = localName;
		this.documentText = documentText;
		this.textStart = documentText.length();
		this.textEnd = this.textStart;
	}

	String localName() {
		return this.localName;
	}

	List<XmlElement> children() {
		return Collections.unmodifiableList(this.children);
	}

	/** The character data of this element and its descendants, in document order, as DOM's textContent. */
	String textContent() {
		return this.documentText.substring(this.textStart, this.textEnd);
	}

	void addChild(XmlElement child) {
		this.children.add(child);
	}

	void end() {
		this.textEnd = this.documentText.length();
	}

}
