package dev.natboot.spring.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingSpec;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.core.mapping.StunObservation;
import dev.natboot.core.stun.FilteringBehavior;
import dev.natboot.core.stun.Hairpinning;
import dev.natboot.core.stun.MappingBehavior;
import dev.natboot.core.stun.NatBehavior;
import dev.natboot.core.stun.StunServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class NatHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");

	@Test
	void upWhenEveryMappingIsActiveOnAPublicAddress() {
		Health health = health(active("11.22.33.1"), active("11.22.33.1"));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("mode", "any");
		@SuppressWarnings("unchecked")
		Map<String, Object> server = (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("mappings"))
			.get("server");
		assertThat(server).containsEntry("state", MappingState.ACTIVE)
			.containsEntry("protocol", "PCP")
			.containsEntry("internalPort", 8080)
			.containsEntry("externalPort", 8080)
			.containsEntry("externalAddress", "11.22.33.1")
			.containsEntry("gateway", "192.0.2.1")
			.containsEntry("leaseExpires", "2026-11-22T02:03:00Z")
			.containsEntry("lastRenewal", "2026-11-22T02:00:00Z");
	}

	@Test
	void unknownWhileTheFirstAttemptRunsOrNoRouterAnswers() {
		assertThat(health(mapping(MappingState.PENDING, null, null)).getStatus()).isEqualTo(Status.UNKNOWN);
		Mapping neverMapped = mapping(MappingState.RETRYING, null, new NatException(NatErrorKind.NO_RESPONSE, null, "silent"));
		Health health = health(neverMapped);
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.toString()).contains("NO_RESPONSE: silent");
		assertThat(health().getStatus()).isEqualTo(Status.UNKNOWN);
	}

	@Test
	void theConfiguredStatusWhenLostOrBehindAnotherNat() {
		Mapping lost = new Mapping(spec(), MappingState.RETRYING, null, null, null, 0, null, null, NOW, NOW,
				Duration.ofMillis(5), null, 0, 3, new NatException(NatErrorKind.NO_RESPONSE, null, "gone"), NOW);
		assertThat(health(lost).getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(NatHealthIndicator.health(NatMode.ANY, List.of(lost), Status.DOWN).getStatus()).isEqualTo(Status.DOWN);
		Health behindCgnat = NatHealthIndicator.health(NatMode.ANY, List.of(active("100.64.0.9")), Status.OUT_OF_SERVICE);
		assertThat(behindCgnat.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(behindCgnat.toString()).contains("not reachable from the internet").contains("shared");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theRouterSectionSaysSinceWhenItIsUnreachableAndHowItsAddressChanged() throws Exception {
		Mapping lost = new Mapping(spec(), MappingState.RETRYING, null, null, null, 0, null, null, NOW, NOW,
				Duration.ofMillis(5), null, 0, 3, new NatException(NatErrorKind.NO_RESPONSE, null, "gone"),
				NOW.minusSeconds(90));
		GatewayInfo router = new GatewayInfo(new InetSocketAddress("192.0.2.1", 5351), NatProtocol.PCP,
				Set.of(NatProtocol.PCP), InetAddress.getByName("11.22.33.1"), InetAddress.getByName("11.22.33.9"), NOW);
		Health health = NatHealthIndicator.health(NatMode.ANY, router, null, List.of(lost), Status.DOWN);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		Map<String, Object> details = (Map<String, Object>) health.getDetails().get("router");
		assertThat(details).containsEntry("status", "unreachable")
			.containsEntry("unreachableSince", "2026-11-22T01:58:30Z")
			.containsEntry("externalAddress", "11.22.33.1")
			.containsEntry("behindAnotherNat", false)
			.containsEntry("previousExternalAddress", "11.22.33.9")
			.containsEntry("externalAddressChangedAt", "2026-11-22T02:00:00Z");
		Map<String, Object> server = (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("mappings"))
			.get("server");
		assertThat(server).containsEntry("failingSince", "2026-11-22T01:58:30Z");
		Health answering = NatHealthIndicator.health(NatMode.ANY, router, null, List.of(active("11.22.33.1")), Status.DOWN);
		assertThat((Map<String, Object>) answering.getDetails().get("router")).containsEntry("status", "answering");
	}

	@Test
	void reachableOverIpv6OnlyIsUpWhenIpv4IsBehindCarrierGradeNat() throws Exception {
		Mapping refused = mapping(MappingState.RETRYING, null,
				new NatException(NatErrorKind.NO_RESOURCES, NatProtocol.PCP, 8, "PCP MAP refused: NO_RESOURCES"));
		GatewayInfo router = new GatewayInfo(new InetSocketAddress("192.0.2.1", 5351), NatProtocol.PCP,
				Set.of(NatProtocol.PCP, NatProtocol.NAT_PMP), InetAddress.getByName("100.64.0.1"), null, null);
		Mapping pinhole = new Mapping(spec().ipv6("server-ipv6"), MappingState.ACTIVE, NatProtocol.PCP,
				new InetSocketAddress("2001:db8:1::1", 5351), InetAddress.getByName("2001:db8:1::10"), 8080,
				Duration.ofMinutes(3), NOW.plusSeconds(180), NOW, NOW, Duration.ofMillis(9), null, 0, 0, null, null);
		Health health = NatHealthIndicator.health(NatMode.ANY, router, null, List.of(refused, pinhole),
				Status.OUT_OF_SERVICE);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("reachable", "over IPv6 only");
		assertThat(health.toString()).contains("externalAddress=2001:db8:1::10");
		// Without the pinhole, the configured status, as before.
		assertThat(NatHealthIndicator.health(NatMode.ANY, router, null, List.of(refused), Status.OUT_OF_SERVICE)
			.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		// A pinhole the router never opened leaves a reachable IPv4 mapping UP.
		Mapping refusedPinhole = new Mapping(spec().ipv6("server-ipv6"), MappingState.RETRYING, null, null, null, 0,
				null, null, NOW, null, null, null, 0, 2, new NatException(NatErrorKind.NO_RESPONSE, null, "silent"), NOW);
		assertThat(NatHealthIndicator.health(NatMode.ANY, List.of(active("11.22.33.1"), refusedPinhole), Status.DOWN)
			.getStatus()).isEqualTo(Status.UP);
				// A pinhole that failed too: nothing reaches the application.
		Mapping lostPinhole = new Mapping(spec().ipv6("server-ipv6"), MappingState.RETRYING, null, null, null, 0, null,
				null, NOW, NOW, Duration.ofMillis(9), null, 0, 2, new NatException(NatErrorKind.NO_RESPONSE, null, "gone"),
				NOW);
		assertThat(NatHealthIndicator.health(NatMode.ANY, router, null, List.of(refused, lostPinhole),
				Status.OUT_OF_SERVICE).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void aRouterWithoutAPublicAddressMakesEveryMappingUnreachable() throws Exception {
		Mapping refused = mapping(MappingState.RETRYING, null,
				new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.UPNP, "AddPortMapping refused: 501"));
		GatewayInfo router = new GatewayInfo(new InetSocketAddress("192.0.2.1", 5000), NatProtocol.UPNP,
				Set.of(NatProtocol.UPNP), InetAddress.getByName("0.0.0.0"), null, null);
		Health health = NatHealthIndicator.health(NatMode.ANY, router, null, List.of(refused), Status.OUT_OF_SERVICE);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.toString()).contains("behindAnotherNat=true", "not reachable from the internet",
				"it has none to map on");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aStunServerThatSeesAnotherAddressRevealsADoubleNat() throws Exception {
		GatewayInfo router = new GatewayInfo(new InetSocketAddress("192.0.2.1", 5351), NatProtocol.PCP,
				Set.of(NatProtocol.PCP), InetAddress.getByName("11.22.34.1"), null, null,
				InetAddress.getByName("11.22.33.1"));
		NatBehavior behavior = new NatBehavior(new InetSocketAddress("11.22.33.2", 3478),
				new InetSocketAddress("192.0.2.10", 40000), new InetSocketAddress("11.22.33.1", 40000),
				new InetSocketAddress("11.22.33.3", 3479), MappingBehavior.ENDPOINT_INDEPENDENT,
				FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT, Hairpinning.NOT_SUPPORTED, List.of());
		StunObservation stun = new StunObservation(StunServer.parse("11.22.33.2"), Transport.UDP,
				behavior.mappedAddress(), behavior, NOW, Duration.ofMillis(420), null);
		Health health = NatHealthIndicator.health(NatMode.ANY, router, stun, List.of(active("11.22.34.1")),
				Status.OUT_OF_SERVICE);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat((Map<String, Object>) health.getDetails().get("router")).containsEntry("behindAnotherNat", true)
			.containsEntry("reachable", "not reachable from the internet: a STUN server sees this host at 11.22.33.1, "
					+ "not at the router's external address, so another NAT (double NAT or carrier-grade NAT) sits in "
					+ "front of the router");
		assertThat((Map<String, Object>) health.getDetails().get("stun")).containsEntry("publicAddress", "11.22.33.1")
			.containsEntry("matchesRouter", false)
			.containsEntry("natType", "port-restricted cone")
			.containsEntry("mappingBehavior", MappingBehavior.ENDPOINT_INDEPENDENT)
			.containsEntry("filteringBehavior", FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT)
			.containsEntry("hairpinning", Hairpinning.NOT_SUPPORTED)
			.containsEntry("server", "11.22.33.2:3478")
			.containsEntry("checkMillis", 420L);
		GatewayInfo agreeing = new GatewayInfo(router.gateway(), NatProtocol.PCP, Set.of(NatProtocol.PCP),
				InetAddress.getByName("11.22.33.1"), null, null, InetAddress.getByName("11.22.33.1"));
		Health reachable = NatHealthIndicator.health(NatMode.ANY, agreeing, stun, List.of(active("11.22.33.1")),
				Status.OUT_OF_SERVICE);
		assertThat(reachable.getStatus()).isEqualTo(Status.UP);
		assertThat((Map<String, Object>) reachable.getDetails().get("stun")).containsEntry("matchesRouter", true);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aFailingStunCheckSaysWhy() {
		StunObservation failed = new StunObservation(StunServer.parse("stun.example.net"), Transport.UDP, null, null,
				NOW, Duration.ofSeconds(8), new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.STUN, "No answer from STUN server"));
		Health health = NatHealthIndicator.health(NatMode.of("stun"), new GatewayInfo(null, null, Set.of(), null, null,
				null), failed, List.of(), Status.DOWN);
		assertThat((Map<String, Object>) health.getDetails().get("stun")).containsEntry("status", "failing")
			.containsEntry("lastError", "NO_RESPONSE: No answer from STUN server")
			.containsEntry("server", "stun.example.net:3478")
			.doesNotContainKey("publicAddress");
	}

	@Test
	void aNatBetweenThisHostAndTheRouterIsReportedPlainly() {
		Mapping mismatch = mapping(MappingState.RETRYING, null,
				new NatException(NatErrorKind.ADDRESS_MISMATCH, NatProtocol.PCP, "ADDRESS_MISMATCH"));
		Health health = NatHealthIndicator.health(NatMode.ANY, List.of(mismatch), Status.OUT_OF_SERVICE);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.toString()).contains("another NAT between this host and the router");
	}

	@Test
	void upWhenNothingIsToBeMapped() {
		assertThat(NatHealthIndicator.health(NatMode.NONE, List.of(), Status.UNKNOWN).getStatus()).isEqualTo(Status.UP);
	}

	private static Health health(Mapping... mappings) {
		return NatHealthIndicator.health(NatMode.ANY, List.of(mappings), Status.UNKNOWN);
	}

	private static Mapping active(String external) {
		return mapping(MappingState.ACTIVE, external, null);
	}

	private static Mapping mapping(MappingState state, String external, NatException error) {
		try {
			boolean mapped = external != null;
			return new Mapping(spec(), state, mapped ? NatProtocol.PCP : null,
					mapped ? new InetSocketAddress("192.0.2.1", 5351) : null,
					mapped ? InetAddress.getByName(external) : null, mapped ? 8080 : 0,
					mapped ? Duration.ofMinutes(3) : null, mapped ? NOW.plusSeconds(180) : null, NOW,
					mapped ? NOW : null, mapped ? Duration.ofMillis(9) : null, mapped ? NOW : null, mapped ? 1 : 0,
					(error != null) ? 1 : 0, error, (error != null) ? NOW : null);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MappingSpec spec() {
		return new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(3), "test");
	}

}
