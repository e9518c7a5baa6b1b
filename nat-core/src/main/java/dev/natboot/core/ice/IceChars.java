package dev.natboot.core.ice;

/** RFC 8839's {@code ice-char}: ALPHA / DIGIT / "+" / "/", and the bounds of what a peer may send. */
final class IceChars {

	/** An IPv6 literal is at most 45 characters, a DNS name 253. */
	static final int MAX_ADDRESS_LENGTH = 253;

	private IceChars() {
	}

	static boolean isIceChars(String text, int minLength, int maxLength) {
		if (text.length() < minLength || text.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			if (!isIceChar(text.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	static boolean isIceChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
	}

}
