package dev.natboot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.natboot.core.NatMode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs read, as the annotation processor generated it: every {@code nat.mode} form
 * has a hint, and descriptions follow Spring Boot's rules.
 */
class NatConfigurationMetadataTests {

	private final JsonNode metadata = read();

	@Test
	void hintsListEveryModeForm() {
		List<String> hinted = new ArrayList<>();
		for (JsonNode hint : this.metadata.get("hints")) {
			if (hint.get("name").asString().equals("nat.mode")) {
				hint.get("values").forEach((value) -> hinted.add(value.get("value").asString()));
			}
		}
		String accepted = NatMode.ACCEPTED_FORMS.substring(0, NatMode.ACCEPTED_FORMS.indexOf(" ("));
		List<String> forms = Arrays.stream(accepted.split(", "))
			.map((form) -> form.contains(":") ? form.substring(0, form.indexOf(':') + 1) : form)
			.toList();
		assertThat(hinted).containsExactlyInAnyOrderElementsOf(forms);
	}

	@Test
	void descriptionsFollowBootsRules() {
		List<JsonNode> properties = new ArrayList<>();
		this.metadata.get("properties").forEach(properties::add);
		assertThat(properties).filteredOn((property) -> property.get("name").asString().startsWith("nat."))
			.hasSizeGreaterThanOrEqualTo(20)
			.allSatisfy((property) -> {
				String name = property.get("name").asString();
				String description = (property.get("description") != null) ? property.get("description").asString() : "";
				assertThat(description).as(name).isNotBlank().doesNotStartWith("The ").doesNotStartWith("A ").endsWith(".");
				String type = property.get("type").asString();
				if (type.equals("java.lang.Boolean")) {
					assertThat(description).as(name).startsWith("Whether");
				}
				if (type.startsWith("java.util.List")) {
					assertThat(description).as(name).startsWith("Comma-separated list of");
				}
				// Spring Boot's own wording where a duration's default unit is not milliseconds.
				if (name.equals("nat.lease")) {
					assertThat(description).contains("If a duration suffix is not specified, seconds will be used.");
				}
			});
	}

	private static JsonNode read() {
		try (InputStream in = NatConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
