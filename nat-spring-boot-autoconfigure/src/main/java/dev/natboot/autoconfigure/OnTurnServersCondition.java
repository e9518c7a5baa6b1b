package dev.natboot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code nat.turn.servers} names at least one server, in whichever form it was set (a
 * comma-separated value or an indexed list), as Boot's OAuth2 client registrations condition binds its map.
 */
final class OnTurnServersCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<String> servers = Binder.get(context.getEnvironment())
			.bind("nat.turn.servers", Bindable.listOf(String.class))
			.orElse(List.of());
		return servers.isEmpty() ? ConditionOutcome.noMatch("no TURN server in nat.turn.servers")
				: ConditionOutcome.match("TURN servers in nat.turn.servers");
	}

}
