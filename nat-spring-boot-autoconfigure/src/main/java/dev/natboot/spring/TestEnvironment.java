package dev.natboot.spring;

import java.util.List;

/**
 * Tells whether the application starts inside a test framework, the way Spring Boot's Docker Compose support
 * decides to skip itself in tests: a test framework's classes are on the class path and its frames are on the
 * stack of the thread that builds the context. Cheap enough for the main thread: one stack walk, no class
 * loading.
 */
public final class TestEnvironment {

	/** Frames of the code that runs tests, by prefix. */
	private static final List<String> TEST_FRAMES = List.of("org.junit.platform.", "org.junit.runners.",
			"org.junit.runner.", "org.testng.", "org.springframework.test.context.", "org.springframework.boot.test.",
			"org.spockframework.", "io.cucumber.", "cucumber.runtime.", "io.kotest.",
			"org.springframework.boot.SpringApplicationAotProcessor");

	private TestEnvironment() {
	}

	/**
	 * Whether the calling thread runs inside a test framework.
	 * @return true if a test framework's frame is on the stack
	 */
	public static boolean isRunningInTest() {
		return StackWalker.getInstance().walk((frames) -> frames.anyMatch((frame) -> isTestFrame(frame.getClassName())));
	}

	static boolean isTestFrame(String className) {
		for (String prefix : TEST_FRAMES) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
