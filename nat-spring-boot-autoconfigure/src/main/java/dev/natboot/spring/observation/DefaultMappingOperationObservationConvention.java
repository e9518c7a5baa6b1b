package dev.natboot.spring.observation;

import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.mapping.MappingOperation;
import dev.natboot.spring.metrics.NatMetrics;
import io.micrometer.common.KeyValues;

/**
 * The observation {@code nat.mapping.operations}: the name and tags of natboot's own timer of that name, so that
 * dashboards read the same series whether the timer comes from an observation or not. Tags: {@code operation}
 * (create, renew, verify, remove), {@code protocol} (pcp, nat-pmp, upnp, none while the router is still being
 * found), {@code transport} (tcp, udp) and {@code outcome} (success, failure); spans also carry the mapping's name
 * and the kind of error.
 */
public class DefaultMappingOperationObservationConvention implements MappingOperationObservationConvention {

	/** Name of the observation, and of the timer made from it. */
	public static final String NAME = "nat.mapping.operations";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(MappingOperationContext context) {
		return "nat " + NatMetrics.tagValue(context.getStarted().kind()) + " " + context.getStarted().mappingName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(MappingOperationContext context) {
		MappingOperation.Started started = context.getStarted();
		MappingOperation completed = context.getCompleted();
		NatProtocol protocol = (completed != null) ? completed.protocol() : started.protocol();
		String outcome = (completed == null) ? "unknown" : (completed.succeeded() ? "success" : "failure");
		return KeyValues.of("operation", NatMetrics.tagValue(started.kind()), "protocol", NatMetrics.tagValue(protocol), "transport",
				NatMetrics.tagValue(started.transport()), "outcome", outcome);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(MappingOperationContext context) {
		KeyValues values = KeyValues.of("nat.mapping.name", context.getStarted().mappingName());
		MappingOperation completed = context.getCompleted();
		NatException failure = (completed != null) ? completed.failure() : null;
		if (failure != null) {
			values = values.and("nat.error.kind", NatMetrics.tagValue(failure.kind()));
			if (failure.routerCode() != NatException.NO_ROUTER_CODE) {
				values = values.and("nat.router.code", String.valueOf(failure.routerCode()));
			}
		}
		return values;
	}

}
