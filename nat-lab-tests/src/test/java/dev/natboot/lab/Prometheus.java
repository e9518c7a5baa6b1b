package dev.natboot.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples read from a Prometheus text exposition, as a scraper sees them.
 */
final class Prometheus {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final List<Sample> samples;

	private final String text;

	private Prometheus(List<Sample> samples, String text) {
		this.samples = samples;
		this.text = text;
	}

	static Prometheus parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			Matcher matcher = SAMPLE.matcher(line.trim());
			if (line.startsWith("#") || !matcher.matches()) {
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (matcher.group(2) != null) {
				Matcher label = LABEL.matcher(matcher.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
		}
		return new Prometheus(samples, text);
	}

	/**
	 * The value of the only sample with that name and (at least) those labels.
	 * @param name metric name
	 * @param labels label name, value, name, value...
	 * @return the value; empty if no sample matches
	 * @throws IllegalStateException if several do
	 */
	OptionalDouble value(String name, String... labels) {
		List<Sample> matching = find(name, labels);
		if (matching.size() > 1) {
			throw new IllegalStateException(matching.size() + " samples match " + name + " " + List.of(labels));
		}
		return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
	}

	List<Sample> find(String name, String... labels) {
		return this.samples.stream().filter((sample) -> sample.name().equals(name)).filter((sample) -> {
			for (int i = 0; i + 1 < labels.length; i += 2) {
				if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
					return false;
				}
			}
			return true;
		}).toList();
	}

	@Override
	public String toString() {
		return this.text;
	}

	record Sample(String name, Map<String, String> labels, double value) {
	}

}
