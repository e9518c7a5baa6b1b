package dev.natboot.spring;

import dev.natboot.core.InvalidNatModeException;
import dev.natboot.core.NatMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;

/**
 * Explains a {@code nat.mode} that is not one of the accepted forms: the value, why it was refused, where it
 * was set (file and line, as Spring Boot's own binding failures say), and the forms that are accepted.
 */
class NatModeFailureAnalyzer extends AbstractFailureAnalyzer<InvalidNatModeException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidNatModeException cause) {
		BindException binding = findCause(rootFailure, BindException.class);
		ConfigurationProperty property = (binding != null) ? binding.getProperty() : null;
		String name = (property != null) ? property.getName().toString() : "nat.mode";
		StringBuilder description = new StringBuilder("Invalid value '").append(cause.spec())
			.append("' for property '")
			.append(name)
			.append("': ")
			.append(cause.reason())
			.append('.');
		String origin = describe((property != null) ? property.getOrigin() : null);
		if (origin != null) {
			description.append(String.format("%n%n    Origin: %s", origin));
		}
		String action = "Set " + name + " to one of: " + NatMode.ACCEPTED_FORMS
				+ ". For example 'any' (the default), 'pcp:192.168.1.1' or 'extip:203.0.113.7'.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private static @Nullable String describe(@Nullable Origin origin) {
		if (origin == null) {
			return null;
		}
		StringBuilder text = new StringBuilder(origin.toString());
		for (Origin parent = origin.getParent(); parent != null; parent = parent.getParent()) {
			text.append(String.format("%n    Origin: %s", parent));
		}
		return text.toString();
	}

	@Override
	public int getOrder() {
		// Ahead of Boot's generic bind failure analysis, which would only repeat the raw message.
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
