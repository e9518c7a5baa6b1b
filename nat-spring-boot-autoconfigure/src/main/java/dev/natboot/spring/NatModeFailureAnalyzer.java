package dev.natboot.spring;

import dev.natboot.core.InvalidNatModeException;
import dev.natboot.core.NatMode;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a {@code nat.mode} that is not one of the accepted forms.
 */
class NatModeFailureAnalyzer extends AbstractFailureAnalyzer<InvalidNatModeException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidNatModeException cause) {
		String description = "Invalid value '" + cause.spec() + "' for property 'nat.mode': " + cause.reason() + ".";
		String action = "Set nat.mode to one of: " + NatMode.ACCEPTED_FORMS
				+ ". For example 'any' (the default), 'pcp:192.168.1.1' or 'extip:203.0.113.7'.";
		return new FailureAnalysis(description, action, cause);
	}

	@Override
	public int getOrder() {
		// Ahead of Boot's generic bind failure analysis, which would only repeat the raw message.
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
