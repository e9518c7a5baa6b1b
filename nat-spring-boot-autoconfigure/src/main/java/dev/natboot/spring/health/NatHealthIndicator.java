package dev.natboot.spring.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.natboot.core.AddressScope;
import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.core.reachability.ReachabilityStatus;
import dev.natboot.spring.RelayReport;
import dev.natboot.spring.endpoint.RelayDescriptor;
import dev.natboot.core.mapping.StunObservation;
import dev.natboot.core.stun.NatBehavior;
import org.jspecify.annotations.Nullable;

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

	private final @Nullable ReachabilityMonitor reachability;

	private final Supplier<@Nullable RelayReport> relay;

	public NatHealthIndicator(MappingEngine engine, Status unreachableStatus) {
		this(engine, unreachableStatus, null);
	}

	/**
	 * An indicator.
	 * @param engine the engine
	 * @param unreachableStatus the status when a mapping is known not to be reachable from outside
	 * @param reachability the checks from outside, {@code null} when there are none
	 */
	public NatHealthIndicator(MappingEngine engine, Status unreachableStatus,
			@Nullable ReachabilityMonitor reachability) {
		this(engine, unreachableStatus, reachability, () -> null);
	}

	/**
	 * An indicator that also reports the relay fallback: a web server reachable through a connected relay is UP
	 * whatever its mappings say.
	 * @param engine the engine
	 * @param unreachableStatus the status when the application cannot be reached from outside
	 * @param reachability the checks from outside, {@code null} when there are none
	 * @param relay the relay, or {@code null} from the supplier when none is configured
	 */
	public NatHealthIndicator(MappingEngine engine, Status unreachableStatus,
			@Nullable ReachabilityMonitor reachability, Supplier<@Nullable RelayReport> relay) {
		this.engine = engine;
		this.unreachableStatus = unreachableStatus;
		this.reachability = reachability;
		this.relay = relay;
	}

	@Override
	public Health health() {
		String inactive = this.engine.inactiveReason().orElse(null);
		Health health;
		if (inactive != null) {
			health = new Health.Builder().up().withDetail("mode", this.engine.mode().toSpec())
				.withDetail("reason", inactive)
				.build();
		}
		else {
			ReachabilityMonitor monitor = this.reachability;
			health = health(this.engine.mode(), this.engine.gatewayInfo(), this.engine.stunObservation().orElse(null),
					this.engine.mappings(), this.unreachableStatus, (monitor != null) ? monitor::reachability : null);
		}
		RelayReport relay = this.relay.get();
		return (relay != null) ? withRelay(health, relay.describe()) : health;
	}

	/** The relay's section; a connected relay makes the web server reachable, so the status is UP. */
	public static Health withRelay(Health health, RelayDescriptor relay) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("mode", relay.mode());
		details.put("status", relay.status());
		details.put("server", relay.server());
		if (relay.publicEndpoint() != null) {
			details.put("publicEndpoint", relay.publicEndpoint());
		}
		if (relay.reason() != null) {
			details.put("reason", relay.reason());
		}
		details.put("since", relay.since().toString());
		details.put("reconnects", relay.reconnects());
		if (relay.lastError() != null) {
			details.put("lastError", Map.of("kind", relay.lastError().kind(), "message", relay.lastError().message()));
		}
		details.put("reachability", relay.reachability().status());
		Status status = relay.isConnected() ? Status.UP : health.getStatus();
		return Health.status(status).withDetails(health.getDetails()).withDetail("relay", details).build();
	}

	static Health health(NatMode mode, List<Mapping> mappings, Status unreachableStatus) {
		return health(mode, new GatewayInfo(null, null, Set.of(), null, null, null), null, mappings, unreachableStatus);
	}

	static Health health(NatMode mode, GatewayInfo router, @Nullable StunObservation stun, List<Mapping> mappings,
			Status unreachableStatus) {
		return health(mode, router, stun, mappings, unreachableStatus, null);
	}

	static Health health(NatMode mode, GatewayInfo router, @Nullable StunObservation stun, List<Mapping> mappings,
			Status unreachableStatus, @Nullable Function<Mapping, Reachability> reachability) {
		Health.Builder builder = new Health.Builder().withDetail("mode", mode.toSpec());
		if (mode.kind() == NatMode.Kind.NONE) {
			return builder.up().withDetail("reason", "nat.mode is none: nothing is mapped").build();
		}
		if (mode.kind().usesRouter()) {
			builder.withDetail("router", routerDetails(router, mappings));
		}
		if (stun != null) {
			builder.withDetail("stun", stunDetails(stun, mode.kind().usesRouter() ? router : null));
		}
		boolean unreachable = false;
		boolean waiting = mappings.stream().noneMatch((mapping) -> mapping.spec().family() != StandardProtocolFamily.INET6);
		boolean ipv6Unreachable = false;
		boolean ipv6Reachable = false;
		Map<String, Object> details = new LinkedHashMap<>();
		for (Mapping mapping : mappings) {
			Reachability checked = (reachability != null) ? reachability.apply(mapping) : null;
			Verdict verdict = (checked != null && checked.status() == ReachabilityStatus.UNREACHABLE
					&& mapping.isActive()) ? Verdict.UNREACHABLE : verdict(mapping);
			if (mapping.spec().family() == StandardProtocolFamily.INET6) {
				// A pinhole only adds a way in: its absence (a router that opens none) leaves IPv4 as it is.
				ipv6Unreachable |= verdict != Verdict.REACHABLE;
				ipv6Reachable |= verdict == Verdict.REACHABLE && mapping.isActive();
			}
			else {
				unreachable |= verdict == Verdict.UNREACHABLE;
				waiting |= verdict == Verdict.WAITING;
			}
			Map<String, Object> mappingDetails = details(mapping, verdict);
			if (checked != null) {
				mappingDetails.put("reachability", reachabilityDetails(checked));
			}
			details.put(mapping.name(), mappingDetails);
		}
		builder.withDetail("mappings", details);
		// A router without a public address of its own maps nothing anyone outside can reach, mapped or not.
		unreachable |= mode.kind().usesRouter() && router.isBehindAnotherNat();
		if ((unreachable || waiting) && ipv6Reachable && !ipv6Unreachable) {
			// IPv4 behind carrier-grade NAT or refused, native IPv6 open: the internet reaches the application.
			return builder.up().withDetail("reachable", "over IPv6 only").build();
		}
		if (unreachable) {
			return builder.status(unreachableStatus).build();
		}
		return (waiting ? builder.unknown() : builder.up()).build();
	}

	/**
	 * The router as a whole: what it is, whether it answers (a router that stopped answering fails every
	 * mapping's exchanges with no response), and whether its own address is reachable from the internet.
	 */
	private static Map<String, Object> routerDetails(GatewayInfo router, List<Mapping> mappings) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (router.protocol() != null) {
			details.put("protocol", router.protocol().displayName());
		}
		if (router.gateway() != null) {
			details.put("gateway", IpLiteral.format(router.gateway().getAddress()));
		}
		Instant silentSince = mappings.stream()
			.filter((mapping) -> mapping.lastError() != null && mapping.failingSince() != null
					&& mapping.lastError().kind().isNoAnswer())
			.map(Mapping::failingSince)
			.min(Comparator.naturalOrder())
			.orElse(null);
		if (silentSince != null) {
			details.put("status", "unreachable");
			details.put("unreachableSince", silentSince.toString());
		}
		else if (router.protocol() != null) {
			details.put("status", "answering");
		}
		InetAddress external = router.externalAddress();
		if (external != null) {
			details.put("externalAddress", IpLiteral.format(external));
			details.put("externalAddressScope", AddressScope.of(external));
			details.put("behindAnotherNat", router.isBehindAnotherNat());
			if (router.isStunMismatch()) {
				details.put("reachable", "not reachable from the internet: a STUN server sees this host at "
						+ IpLiteral.format(Objects.requireNonNull(router.stunAddress())) + ", not at the router's "
						+ "external address, so another NAT (double NAT or carrier-grade NAT) sits in front of the router");
			}
			else if (router.isBehindAnotherNat()) {
				details.put("reachable", "not reachable from the internet: the router's own external address is "
						+ AddressScope.of(external).name().toLowerCase(Locale.ROOT)
						+ ((AddressScope.of(external) == AddressScope.UNSPECIFIED) ? " (it has none to map on)" : "")
						+ ", so another NAT sits in front of it or it is not connected");
			}
		}
		if (router.previousExternalAddress() != null && router.externalAddressChangedAt() != null) {
			details.put("previousExternalAddress", IpLiteral.format(router.previousExternalAddress()));
			details.put("externalAddressChangedAt", router.externalAddressChangedAt().toString());
		}
		return details;
	}

	/** What a STUN server sees, and how the NAT behaves; next to the router's view when there is a router. */
	private static Map<String, Object> stunDetails(StunObservation stun, @Nullable GatewayInfo router) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("server", stun.server().toString());
		details.put("transport", stun.transport());
		details.put("checkedAt", stun.checkedAt().toString());
		details.put("checkMillis", stun.duration().toMillis());
		InetSocketAddress endpoint = stun.publicEndpoint();
		if (endpoint == null) {
			details.put("status", "failing");
			NatException failure = stun.failure();
			if (failure != null) {
				details.put("lastError", failure.kind() + ": " + failure.getMessage());
			}
			return details;
		}
		details.put("status", "answering");
		details.put("publicAddress", IpLiteral.format(endpoint.getAddress()));
		if (router != null && router.externalAddress() != null) {
			details.put("matchesRouter", !router.isStunMismatch());
		}
		NatBehavior behavior = stun.behavior();
		details.put("natType", stun.natType().displayName());
		if (behavior != null) {
			details.put("mappingBehavior", behavior.mapping());
			details.put("filteringBehavior", behavior.filtering());
			details.put("hairpinning", behavior.hairpinning());
			if (!behavior.notes().isEmpty()) {
				details.put("notes", behavior.notes());
			}
		}
		return details;
	}

	private static Verdict verdict(Mapping mapping) {
		NatException error = mapping.lastError();
		if (mapping.state() == MappingState.RETRYING && error != null && error.kind() == NatErrorKind.ADDRESS_MISMATCH) {
			return Verdict.UNREACHABLE;
		}
		return switch (mapping.state()) {
			case ACTIVE -> (mapping.protocol() == NatProtocol.MANUAL || mapping.protocol() == NatProtocol.STUN || mapping.externalAddress() == null
					|| AddressScope.of(mapping.externalAddress()).isReachableFromInternet()) ? Verdict.REACHABLE
							: Verdict.UNREACHABLE;
			// Never mapped yet: the router has not answered. Mapped before: it was lost.
			case RETRYING -> (mapping.confirmedAt() == null) ? Verdict.WAITING : Verdict.UNREACHABLE;
			case PENDING, RELEASING, REMOVED, ABANDONED -> Verdict.WAITING;
			case DISABLED -> Verdict.REACHABLE;
		};
	}

	private static Map<String, Object> reachabilityDetails(Reachability reachability) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", reachability.status());
		if (reachability.checkedAt() != null) {
			details.put("checkedAt", reachability.checkedAt().toString());
		}
		if (reachability.via() != null) {
			details.put("via", reachability.via());
		}
		if (reachability.reason() != null) {
			details.put("reason", reachability.reason());
		}
		return details;
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
			details.put("externalAddress", IpLiteral.format(mapping.externalAddress()));
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
			details.put("gateway", IpLiteral.format(mapping.gateway().getAddress()));
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
			if (mapping.failingSince() != null) {
				details.put("failingSince", mapping.failingSince().toString());
			}
			if (verdict == Verdict.UNREACHABLE && error.kind() == NatErrorKind.ADDRESS_MISMATCH) {
				details.put("reachable", "not mapped: another NAT between this host and the router rewrites this "
						+ "host's address (PCP ADDRESS_MISMATCH), so the router cannot map a port for it");
			}
		}
		return details;
	}

	private enum Verdict {

		REACHABLE, WAITING, UNREACHABLE

	}

}
