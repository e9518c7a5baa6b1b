package dev.natboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Matches when a relay server is configured ({@code nat.relay.ssh.host}) and {@code nat.relay.mode} is not never. */
final class OnRelayCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		if (!StringUtils.hasText(environment.getProperty("nat.relay.ssh.host"))) {
			return ConditionOutcome.noMatch("no relay server in nat.relay.ssh.host");
		}
		if ("never".equalsIgnoreCase(environment.getProperty("nat.relay.mode", "").trim())) {
			return ConditionOutcome.noMatch("nat.relay.mode is never");
		}
		return ConditionOutcome.match("a relay server in nat.relay.ssh.host");
	}

}
