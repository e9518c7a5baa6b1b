package dev.natboot.spring.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.natboot.core.AddressScope;
import dev.natboot.core.IpLiteral;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.core.reachability.ReachabilityMonitor;
import dev.natboot.core.mapping.StunObservation;
import dev.natboot.core.stun.NatBehavior;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code nat}: what is mapped, where, since when, and what failed. Read-only unless write access is granted
 * ({@code management.endpoint.nat.access=unrestricted}), which allows forcing one mapping to be mapped again
 * or released.
 */
@Endpoint(id = "nat", defaultAccess = Access.READ_ONLY)
public class NatEndpoint {

	/** What a mapping's reachability says when nothing checks from outside. */
	static final String NOTHING_CHECKS = "no TURN server checks from outside (nat.turn.servers)";

	private final MappingEngine engine;

	private final @Nullable ReachabilityMonitor reachability;

	private final java.util.function.Supplier<dev.natboot.spring.@Nullable RelayReport> relay;

	private final java.util.function.Supplier<dev.natboot.spring.ice.@Nullable IceStatistics> ice;

	public NatEndpoint(MappingEngine engine) {
		this(engine, null);
	}

	/**
	 * An endpoint.
	 * @param engine the engine
	 * @param reachability the checks from outside, {@code null} when there are none
	 */
	public NatEndpoint(MappingEngine engine, @Nullable ReachabilityMonitor reachability) {
		this(engine, reachability, () -> null);
	}

	/**
	 * An endpoint that also shows the relay fallback.
	 * @param engine the engine
	 * @param reachability the checks from outside, {@code null} when there are none
	 * @param relay the relay, or {@code null} from the supplier when none is configured
	 */
	public NatEndpoint(MappingEngine engine, @Nullable ReachabilityMonitor reachability,
			java.util.function.Supplier<dev.natboot.spring.@Nullable RelayReport> relay) {
		this(engine, reachability, relay, () -> null);
	}

	/**
	 * An endpoint that also shows the relay fallback and the ICE agents.
	 * @param engine the engine
	 * @param reachability the checks from outside, {@code null} when there are none
	 * @param relay the relay, or {@code null} from the supplier when none is configured
	 * @param ice what the ICE agents came to, or {@code null} from the supplier when there are none
	 */
	public NatEndpoint(MappingEngine engine, @Nullable ReachabilityMonitor reachability,
			java.util.function.Supplier<dev.natboot.spring.@Nullable RelayReport> relay,
			java.util.function.Supplier<dev.natboot.spring.ice.@Nullable IceStatistics> ice) {
		this.engine = engine;
		this.reachability = reachability;
		this.relay = relay;
		this.ice = ice;
	}

	private MappingDescriptor describe(Mapping mapping) {
		Reachability result = (this.reachability != null) ? this.reachability.reachability(mapping)
				: Reachability.unverified(NOTHING_CHECKS);
		return MappingDescriptor.of(mapping, ReachabilityDescriptor.of(result));
	}

	@ReadOperation
	public NatDescriptor nat() {
		Map<String, MappingDescriptor> mappings = new LinkedHashMap<>();
		for (Mapping mapping : this.engine.mappings()) {
			mappings.put(mapping.name(), describe(mapping));
		}
		GatewayInfo gateway = this.engine.gatewayInfo();
		dev.natboot.spring.RelayReport relay = this.relay.get();
		dev.natboot.spring.ice.IceStatistics ice = this.ice.get();
		return new NatDescriptor(this.engine.mode().toSpec(), this.engine.inactiveReason().orElse(null),
				GatewayDescriptor.of(gateway),
				this.engine.stunObservation().map((stun) -> StunDescriptor.of(stun, gateway)).orElse(null),
				this.engine.ipv6StunObservation().map((stun) -> StunDescriptor.ofIpv6(stun, pinholeAddress()))
					.orElse(null),
				mappings, (relay != null) ? relay.describe() : null, (ice != null) ? IceDescriptor.of(ice) : null);
	}

	/** The address the IPv6 pinholes are open for, as the first one granted says. */
	private java.net.@Nullable InetAddress pinholeAddress() {
		return this.engine.mappings()
			.stream()
			.filter((mapping) -> mapping.spec().family() == java.net.StandardProtocolFamily.INET6)
			.map(Mapping::externalAddress)
			.filter(java.util.Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	@ReadOperation
	public @Nullable MappingDescriptor mapping(@Selector String name) {
		return this.engine.mapping(name).map(this::describe).orElse(null);
	}

	/**
	 * Maps one mapping again at once, or releases it on the router (it stays listed until remapped).
	 * @param name the mapping
	 * @param action {@code remap} or {@code release}
	 * @return the mapping as it is when the action was started, or {@code null} (404) for an unknown name
	 */
	@WriteOperation
	public @Nullable MappingDescriptor act(@Selector String name, Action action) {
		boolean known = switch (action) {
			case REMAP -> this.engine.remap(name);
			case RELEASE -> this.engine.release(name).isPresent();
		};
		return known ? mapping(name) : null;
	}

	/**
	 * What the write operation does.
	 */
	public enum Action {

		/** Map again now: renew, retry without waiting, or ask again after a release. */
		REMAP,

		/** Delete the mapping on the router. */
		RELEASE

	}

	/**
	 * Everything the engine knows.
	 *
	 * @param mode the mode, as configured
	 * @param inactive why nothing is mapped whatever the mode (for example skipped in tests), {@code null} when
	 * the engine works
	 * @param gateway the router
	 * @param stun what a STUN server sees, when one is configured and a check ended
	 * @param stunIpv6 what a STUN server sees over IPv6 from the address the pinholes are for, when STUN servers
	 * are configured, pinholes are open and a check ended; its {@code matchesRouter} tells whether that is the
	 * pinholes' own address
	 * @param mappings every mapping by name
	 * @param relay the relay fallback, when one is configured
	 * @param ice the ICE agents, when there are any
	 */
	public record NatDescriptor(String mode, @Nullable String inactive, GatewayDescriptor gateway,
			@Nullable StunDescriptor stun, @Nullable StunDescriptor stunIpv6, Map<String, MappingDescriptor> mappings,
			@Nullable RelayDescriptor relay, @Nullable IceDescriptor ice) implements OperationResponseBody {

		public NatDescriptor {
			mappings = Collections.unmodifiableMap(new LinkedHashMap<>(mappings));
		}

	}

	/**
	 * The ICE agents of the application (peer-to-peer connections).
	 *
	 * @param open agents created and not closed
	 * @param connected connections made so far
	 * @param failed agents that did not connect, or lost consent
	 * @param lastPair the pair the last connection selected: candidate types and addresses, round trip
	 * @param lastConnectedAt when
	 * @param lastConnectMillis how long its checks took
	 * @param lastFailure the last failure's reason and message
	 */
	public record IceDescriptor(int open, long connected, long failed, @Nullable String lastPair,
			@Nullable Instant lastConnectedAt, @Nullable Long lastConnectMillis, @Nullable String lastFailure) {

		static IceDescriptor of(dev.natboot.spring.ice.IceStatistics ice) {
			return new IceDescriptor(ice.open(), ice.connected(), ice.failed(),
					(ice.lastPair() != null) ? ice.lastPair().toString() : null, ice.lastConnectedAt(),
					(ice.lastPair() != null) ? ice.lastConnectMillis() : null, ice.lastFailure());
		}

	}

	/**
	 * The router.
	 *
	 * @param address its address and port, once one answered
	 * @param protocol the protocol in use
	 * @param answered every protocol it answered when last probed
	 * @param externalAddress the external address it reports
	 * @param externalAddressScope whether that address is public, private, shared (carrier-grade NAT)...
	 */
	public record GatewayDescriptor(@Nullable String address, @Nullable String protocol, List<String> answered,
			@Nullable String externalAddress, @Nullable AddressScope externalAddressScope,
			@Nullable Boolean behindAnotherNat, @Nullable String reachability, @Nullable String previousExternalAddress,
			@Nullable String externalAddressChangedAt) {

		static GatewayDescriptor of(GatewayInfo info) {
			InetSocketAddress gateway = info.gateway();
			InetAddress external = info.externalAddress();
			InetAddress previous = info.previousExternalAddress();
			return new GatewayDescriptor(
					(gateway != null) ? IpLiteral.endpoint(gateway.getAddress(), gateway.getPort()) : null,
					(info.protocol() != null) ? info.protocol().displayName() : null,
					info.answered().stream().sorted().map(NatProtocol::displayName).toList(),
					(external != null) ? IpLiteral.format(external) : null,
					(external != null) ? AddressScope.of(external) : null,
					(external != null) ? info.isBehindAnotherNat() : null,
					NatEndpoint.reachability(info),
					(previous != null) ? IpLiteral.format(previous) : null,
					(info.externalAddressChangedAt() != null) ? info.externalAddressChangedAt().toString() : null);
		}

	}

	private static @Nullable String reachability(GatewayInfo info) {
		if (info.isStunMismatch()) {
			return "mapped on the router, but not reachable from the internet: a STUN server sees this host at "
					+ IpLiteral.format(Objects.requireNonNull(info.stunAddress()))
					+ ", not at the router's external address, so another NAT (double NAT or carrier-grade NAT) sits "
					+ "in front of the router";
		}
		return info.isBehindAnotherNat() ? "mapped on the router, but not reachable from the internet: the router's "
				+ "external address is not public, so another NAT sits in front of it" : null;
	}

	/**
	 * What a STUN server sees of this host.
	 *
	 * @param server the server that answered, or the last one tried
	 * @param transport UDP or TCP
	 * @param status {@code answering} or {@code failing}
	 * @param checkedAt when the check ended
	 * @param checkMillis how long the check took, in milliseconds
	 * @param publicAddress this host's public address as the server sees it
	 * @param publicPort the public port of the check's socket
	 * @param matchesRouter whether it is the router's external address; {@code null} without a router's answer
	 * @param natType the classic name: open internet, full cone, restricted cone, port-restricted cone, symmetric,
	 * symmetric UDP firewall or unknown
	 * @param mappingBehavior RFC 4787 mapping behaviour, {@code null} when not measured
	 * @param filteringBehavior RFC 4787 filtering behaviour, {@code null} when not measured
	 * @param hairpinning whether the NAT hairpins, {@code null} when not measured
	 * @param otherAddress the server's second address used for the behaviour tests
	 * @param notes why something is unknown
	 * @param lastError why the check failed
	 */
	public record StunDescriptor(String server, String transport, String status, Instant checkedAt, long checkMillis,
			@Nullable String publicAddress, @Nullable Integer publicPort, @Nullable Boolean matchesRouter, String natType,
			@Nullable String mappingBehavior, @Nullable String filteringBehavior, @Nullable String hairpinning,
			@Nullable String otherAddress, List<String> notes, @Nullable ErrorDescriptor lastError) {

		public StunDescriptor {
			notes = List.copyOf(notes);
		}

		/** An IPv6 check: it matches when the server sees the address the pinholes are for. */
		static StunDescriptor ofIpv6(StunObservation stun, java.net.@Nullable InetAddress pinholes) {
			InetSocketAddress endpoint = stun.publicEndpoint();
			NatException failure = stun.failure();
			return new StunDescriptor(stun.server().toString(), stun.transport().name(),
					stun.succeeded() ? "answering" : "failing", stun.checkedAt(), stun.duration().toMillis(),
					(endpoint != null) ? IpLiteral.format(endpoint.getAddress()) : null,
					(endpoint != null) ? endpoint.getPort() : null,
					(endpoint != null && pinholes != null) ? pinholes.equals(endpoint.getAddress()) : null,
					stun.natType().displayName(), null, null, null, null, List.of(),
					(failure != null) ? ErrorDescriptor.of(failure) : null);
		}

		static StunDescriptor of(StunObservation stun, GatewayInfo gateway) {
			InetSocketAddress endpoint = stun.publicEndpoint();
			NatBehavior behavior = stun.behavior();
			NatException failure = stun.failure();
			InetSocketAddress other = (behavior != null) ? behavior.otherAddress() : null;
			return new StunDescriptor(stun.server().toString(), stun.transport().name(),
					stun.succeeded() ? "answering" : "failing", stun.checkedAt(), stun.duration().toMillis(),
					(endpoint != null) ? IpLiteral.format(endpoint.getAddress()) : null,
					(endpoint != null) ? endpoint.getPort() : null,
					(endpoint != null && gateway.externalAddress() != null && gateway.protocol() != NatProtocol.STUN)
							? !gateway.isStunMismatch() : null,
					stun.natType().displayName(), (behavior != null) ? behavior.mapping().name() : null,
					(behavior != null) ? behavior.filtering().name() : null,
					(behavior != null) ? behavior.hairpinning().name() : null,
					(other != null) ? IpLiteral.endpoint(other.getAddress(), other.getPort()) : null,
					(behavior != null) ? behavior.notes() : List.of(),
					(failure != null) ? ErrorDescriptor.of(failure) : null);
		}

	}

	/**
	 * One mapping.
	 *
	 * @param state where it stands
	 * @param transport TCP or UDP
	 * @param internalPort the port on this host
	 * @param externalAddress the external address, when mapped
	 * @param externalPort the external port, 0 when not mapped
	 * @param protocol how it was mapped
	 * @param gateway the router that mapped it
	 * @param leaseSeconds the lifetime the router granted; {@code null} when not mapped or permanent
	 * @param leaseExpires when it runs out unless renewed
	 * @param requestedAt when the application asked for it
	 * @param confirmedAt when a router first confirmed it
	 * @param timeToConfirmMillis from the request to the first confirmation
	 * @param lastRenewal when it was last renewed
	 * @param renewals how many renewals succeeded
	 * @param failures how many attempts failed
	 * @param lastError the most recent failure
	 * @param reachability what the last check from outside found
	 * @param family IPv4 (a port mapping) or IPv6 (a firewall pinhole to this host's stable address)
	 */
	public record MappingDescriptor(String state, String transport, int internalPort, @Nullable String externalAddress,
			int externalPort, @Nullable String protocol, @Nullable String gateway, @Nullable Long leaseSeconds,
			@Nullable Instant leaseExpires, Instant requestedAt, @Nullable Instant confirmedAt,
			@Nullable Double timeToConfirmMillis, @Nullable Instant lastRenewal, long renewals, long failures,
			@Nullable ErrorDescriptor lastError, ReachabilityDescriptor reachability, String family)
			implements OperationResponseBody {

		static MappingDescriptor of(Mapping mapping, ReachabilityDescriptor reachability) {
			NatException error = mapping.lastError();
			return new MappingDescriptor(mapping.state().name(), mapping.spec().transport().name(),
					mapping.spec().internalPort(),
					(mapping.externalAddress() != null) ? IpLiteral.format(mapping.externalAddress()) : null,
					mapping.externalPort(), (mapping.protocol() != null) ? mapping.protocol().displayName() : null,
					(mapping.gateway() != null) ? IpLiteral.format(mapping.gateway().getAddress()) : null,
					(mapping.lifetime() != null) ? mapping.lifetime().toSeconds() : null, mapping.expiresAt(),
					mapping.requestedAt(), mapping.confirmedAt(),
					(mapping.timeToConfirm() != null) ? mapping.timeToConfirm().toNanos() / 1e6 : null,
					mapping.lastRenewedAt(), mapping.renewals(), mapping.failures(),
					(error != null) ? ErrorDescriptor.of(error) : null, reachability,
					(mapping.spec().family() == StandardProtocolFamily.INET6) ? "IPv6" : "IPv4");
		}

	}

	/**
	 * What the last check from outside found.
	 *
	 * @param status REACHABLE, UNREACHABLE, UNVERIFIED or FAILING
	 * @param checkedAt when it ended
	 * @param via the TURN server that checked
	 * @param reason why not REACHABLE: the likely cause for UNREACHABLE
	 * @param endpoint the external endpoint checked
	 * @param tookMillis how long the check took
	 */
	public record ReachabilityDescriptor(String status, @Nullable Instant checkedAt, @Nullable String via,
			@Nullable String reason, @Nullable String endpoint, @Nullable Long tookMillis) {

		public static ReachabilityDescriptor of(Reachability reachability) {
			return new ReachabilityDescriptor(reachability.status().name(), reachability.checkedAt(),
					reachability.via(), reachability.reason(), reachability.endpoint(),
					(reachability.took() != null) ? reachability.took().toMillis() : null);
		}

	}

	/**
	 * A typed failure.
	 *
	 * @param kind what kind of failure
	 * @param protocol the protocol that reported it
	 * @param routerCode the router's own result code, when it sent one
	 * @param message what happened
	 */
	public record ErrorDescriptor(String kind, @Nullable String protocol, @Nullable Integer routerCode,
			@Nullable String message) {

		static ErrorDescriptor of(NatException error) {
			return new ErrorDescriptor(error.kind().name(),
					(error.protocol() != null) ? error.protocol().displayName() : null,
					(error.routerCode() != NatException.NO_ROUTER_CODE) ? error.routerCode() : null, error.getMessage());
		}

	}

}
