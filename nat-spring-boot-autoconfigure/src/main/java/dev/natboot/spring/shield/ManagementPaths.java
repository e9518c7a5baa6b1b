package dev.natboot.spring.shield;

import java.util.List;

/**
 * Where the actuator's endpoints are on the server they share with the application: under the management base
 * path ({@code /actuator} by default), or, with the base path {@code /}, at each endpoint's own path. Paths are
 * compared as the server decoded and normalised them, segment by segment.
 */
public class ManagementPaths {

	private final List<String> prefixes;

	/**
	 * Creates the paths.
	 * @param basePath the management base path relative to the application
	 * @param endpointPaths every exposed endpoint's path, used when the base path is the root
	 * @param additionalPaths paths endpoints are served at besides the base path (health probes' /livez, say)
	 */
	public ManagementPaths(String basePath, List<String> endpointPaths, List<String> additionalPaths) {
		String base = normalize(basePath);
		List<String> all = new java.util.ArrayList<>(base.isEmpty() ? endpointPaths : List.of(base));
		all.addAll(additionalPaths);
		this.prefixes = all.stream().map(ManagementPaths::normalize).filter((path) -> !path.isEmpty()).distinct().toList();
	}

	/**
	 * Whether a path is an endpoint's, or below one.
	 * @param path the request's path within the application, decoded
	 * @return true if the shield applies
	 */
	public boolean contains(String path) {
		String normalized = normalize(path);
		for (String prefix : this.prefixes) {
			if (normalized.equals(prefix) || normalized.startsWith(prefix + "/")) {
				return true;
			}
		}
		return false;
	}

	List<String> prefixes() {
		return this.prefixes;
	}

	/** Leading slash, no trailing one, no doubled ones, no path parameters, dot segments resolved; "" for the root. */
	static String normalize(String path) {
		java.util.Deque<String> segments = new java.util.ArrayDeque<>();
		for (String segment : path.split("/")) {
			int parameters = segment.indexOf(';');
			String name = (parameters >= 0) ? segment.substring(0, parameters) : segment;
			if (name.equals("..")) {
				segments.pollLast();
			}
			else if (!name.isEmpty() && !name.equals(".")) {
				segments.addLast(name);
			}
		}
		StringBuilder result = new StringBuilder();
		segments.forEach((segment) -> result.append('/').append(segment));
		return result.toString();
	}

}
