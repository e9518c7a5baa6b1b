package dev.natboot.spring.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the application's reachability from outside, read from the engine's current state: it never
 * talks to the router. {@code UP} when every mapping is active on a router with a public address;
 * {@code UNKNOWN} while the first attempt is under way or no router answers; the configured status (by
 * default {@code UNKNOWN}, which never takes the application's health down) when a mapping was lost or the
 * router sits behind another NAT.
 */
public class NatHealthIndicator implements HealthIndicator {

	private final MappingEngine engine;

	private final Status unreachableStatus;

	public NatHealthIndicator(MappingEngine engine, Status unreachableStatus) {
		this.engine = engine;
		this.unreachableStatus = unreachableStatus;
	}

	@Override
	public Health health() {
		return health(this.engine.mode(), this.engine.mappings(), this.unreachableStatus);
	}

	static Health health(NatMode mode, List<Mapping> mappings, Status unreachableStatus) {
		Health.Builder builder = new Health.Builder().withDetail("mode", mode.toSpec());
		if (mode.kind() == NatMode.Kind.NONE) {
			return builder.up().withDetail("reason", "nat.mode is none: nothing is mapped").build();
		}
		boolean unreachable = false;
		boolean waiting = mappings.isEmpty();
		Map<String, Object> details = new LinkedHashMap<>();
		for (Mapping mapping : mappings) {
			Verdict verdict = verdict(mapping);
			unreachable |= verdict == Verdict.UNREACHABLE;
			waiting |= verdict == Verdict.WAITING;
			details.put(mapping.name(), details(mapping, verdict));
		}
		builder.withDetail("mappings", details);
		if (unreachable) {
			return builder.status(unreachableStatus).build();
		}
		return (waiting ? builder.unknown() : builder.up()).build();
	}

	private static Verdict verdict(Mapping mapping) {
		return switch (mapping.state()) {
			case ACTIVE -> (mapping.protocol() == NatProtocol.MANUAL || mapping.externalAddress() == null
					|| AddressScope.of(mapping.externalAddress()).isReachableFromInternet()) ? Verdict.REACHABLE
							: Verdict.UNREACHABLE;
			// Never mapped yet: the router has not answered. Mapped before: it was lost.
			case RETRYING -> (mapping.confirmedAt() == null) ? Verdict.WAITING : Verdict.UNREACHABLE;
			case PENDING, RELEASING, REMOVED, ABANDONED -> Verdict.WAITING;
			case DISABLED -> Verdict.REACHABLE;
		};
	}

	private static Map<String, Object> details(Mapping mapping, Verdict verdict) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", mapping.state());
		details.put("transport", mapping.spec().transport());
		details.put("internalPort", mapping.spec().internalPort());
		if (mapping.protocol() != null) {
			details.put("protocol", mapping.protocol().displayName());
		}
		if (mapping.externalAddress() != null) {
			details.put("externalAddress", mapping.externalAddress().getHostAddress());
			details.put("externalPort", mapping.externalPort());
			AddressScope scope = AddressScope.of(mapping.externalAddress());
			details.put("externalAddressScope", scope);
			if (verdict == Verdict.UNREACHABLE && mapping.state() == MappingState.ACTIVE) {
				details.put("reachable", "mapped on the router, but not reachable from the internet: the router's "
						+ "external address is " + scope.name().toLowerCase(Locale.ROOT)
						+ ", so the router is behind another NAT");
			}
		}
		if (mapping.gateway() != null) {
			details.put("gateway", mapping.gateway().getAddress().getHostAddress());
		}
		if (mapping.expiresAt() != null) {
			details.put("leaseExpires", mapping.expiresAt().toString());
		}
		if (mapping.lastRenewedAt() != null) {
			details.put("lastRenewal", mapping.lastRenewedAt().toString());
		}
		details.put("failures", mapping.failures());
		NatException error = mapping.lastError();
		if (error != null) {
			details.put("lastError", error.kind() + ": " + error.getMessage());
		}
		return details;
	}

	private enum Verdict {

		REACHABLE, WAITING, UNREACHABLE

	}

}
