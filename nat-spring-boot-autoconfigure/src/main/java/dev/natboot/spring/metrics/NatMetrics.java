package dev.natboot.spring.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.IgnoredDatagrams;
import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingOperation;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.core.mapping.RouterSignalCounts;
import dev.natboot.core.mapping.StunObservation;
import dev.natboot.core.stun.NatType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for the mapping engine. Tag values come from closed sets (protocol, transport, operation,
 * outcome, error kind, state) or from configuration (mapping names), so their number stays bounded. Meters of
 * one mapping are registered when a router first confirms it and removed when it is released. Not itself a
 * {@link MappingListener}: the engine takes every listener bean when it is built, and this binder needs the
 * engine.
 */
public class NatMetrics implements MeterBinder {

	static final String OPERATIONS = "nat.mapping.operations";

	static final String FAILURES = "nat.mapping.failures";

	static final String MAPPINGS = "nat.mappings";

	static final String CONFIRMATION = "nat.mapping.confirmation";

	static final String LEASE_REMAINING = "nat.mapping.lease.remaining";

	static final String EXTERNAL_PORT = "nat.mapping.external.port";

	static final String CONFIRMED_TIME = "nat.mapping.confirmed.time";

	static final String BEHIND_NAT = "nat.router.behind.nat";

	static final String ROUTER_ANSWERING = "nat.router.answering";

	static final String STUN_CHECKS = "nat.stun.checks";

	static final String STUN_MISMATCH = "nat.stun.address.mismatch";

	static final String STUN_NAT_TYPE = "nat.stun.nat.type";

	static final String IGNORED_DATAGRAMS = "nat.router.datagrams.ignored";

	static final String SIGNALS = "nat.router.signals";

	private static final String MAPPING_TAG = "mapping";

	private final MappingEngine engine;

	private final Clock clock;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final AtomicBoolean listening = new AtomicBoolean();

	private final java.util.concurrent.atomic.AtomicReference<@Nullable StunObservation> lastTimedCheck =
			new java.util.concurrent.atomic.AtomicReference<>();

	/** Per mapping name, the request whose first confirmation was timed, so each request is timed once. */
	private final Map<String, Instant> timedRequests = new ConcurrentHashMap<>();

	/** Whether this records the operations timer; not when observations do. */
	private final boolean timeOperations;

	public NatMetrics(MappingEngine engine) {
		this(engine, true);
	}

	/**
	 * Creates the binder.
	 * @param engine the engine
	 * @param timeOperations whether to record {@code nat.mapping.operations}; {@code false} when Micrometer
	 * Observations of the exchanges record it
	 */
	public NatMetrics(MappingEngine engine, boolean timeOperations) {
		this(engine, Clock.systemUTC(), timeOperations);
	}

	NatMetrics(MappingEngine engine, Clock clock) {
		this(engine, clock, true);
	}

	NatMetrics(MappingEngine engine, Clock clock, boolean timeOperations) {
		this.engine = engine;
		this.clock = clock;
		this.timeOperations = timeOperations;
	}

	static double behindAnotherNat(MappingEngine engine) {
		boolean mismatch = engine.mappings().stream().anyMatch((mapping) -> mapping.isFailing()
				&& mapping.lastError() != null && mapping.lastError().kind() == NatErrorKind.ADDRESS_MISMATCH);
		if (mismatch || engine.gatewayInfo().isBehindAnotherNat()) {
			return 1;
		}
		return (engine.gatewayInfo().externalAddress() != null) ? 0 : Double.NaN;
	}

	static double stunMismatch(MappingEngine engine) {
		GatewayInfo gateway = engine.gatewayInfo();
		if (gateway.externalAddress() == null || gateway.stunAddress() == null
				|| engine.mode().kind() == NatMode.Kind.STUN) {
			return Double.NaN;
		}
		return gateway.isStunMismatch() ? 1 : 0;
	}

	static double natType(MappingEngine engine, NatType type) {
		StunObservation stun = engine.stunObservation().orElse(null);
		if (stun == null || !stun.succeeded()) {
			return Double.NaN;
		}
		return (stun.natType() == type) ? 1 : 0;
	}

	static double routerAnswering(MappingEngine engine) {
		if (!engine.mode().kind().usesRouter()) {
			return Double.NaN;
		}
		List<Mapping> wanted = engine.mappings()
			.stream()
			.filter((mapping) -> mapping.state() != MappingState.REMOVED && mapping.state() != MappingState.ABANDONED)
			.toList();
		boolean silent = !wanted.isEmpty() && wanted.stream()
			.allMatch((mapping) -> mapping.isFailing() && mapping.lastError() != null
					&& mapping.lastError().kind().isNoAnswer());
		if (silent) {
			return 0;
		}
		return (engine.gatewayInfo().protocol() != null) ? 1 : Double.NaN;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (MappingState state : MappingState.values()) {
			Gauge.builder(MAPPINGS, this.engine, (engine) -> count(engine, state))
				.tag("state", tagValue(state))
				.description("Mappings the application asked for, by state")
				.strongReference(true)
				.register(registry);
		}
		Gauge.builder(BEHIND_NAT, this.engine, NatMetrics::behindAnotherNat)
			.description("1 when the router's own external address is private, shared or unset, a STUN server sees "
					+ "another address, or PCP reports a NAT between this host and the router: mapped, but not "
					+ "reachable from the internet; 0 when public; NaN before the router answered")
			.strongReference(true)
			.register(registry);
		for (IgnoredDatagrams.Reason reason : IgnoredDatagrams.Reason.values()) {
			FunctionCounter.builder(IGNORED_DATAGRAMS, this.engine.ignoredDatagrams(), (counts) -> counts.countOf(reason))
				.description("Datagrams from the router's address or the LAN that were not acted on: malformed, "
						+ "answering no request, ambiguous, or announcements that are not the router's")
				.tag("reason", reason.tagValue())
				.register(registry);
		}
		for (RouterSignalCounts.Signal signal : RouterSignalCounts.Signal.values()) {
			for (RouterSignalCounts.Outcome outcome : RouterSignalCounts.Outcome.values()) {
				FunctionCounter.builder(SIGNALS, this.engine.routerSignals(), (counts) -> counts.countOf(signal, outcome))
					.description("Unsolicited signals heard from the router's own address (announcements, SSDP "
							+ "notifications), by what came of them")
					.tags("signal", signal.tagValue(), "outcome", outcome.tagValue())
					.register(registry);
			}
		}
		Gauge.builder(ROUTER_ANSWERING, this.engine, NatMetrics::routerAnswering)
			.description("1 while the router answers, 0 while every exchange with it goes unanswered; NaN before "
					+ "the first exchange")
			.strongReference(true)
			.register(registry);
		if (this.engine.hasStunServers()) {
			registerStunGauges(registry);
		}
		this.engine.mappings()
			.stream()
			.filter((mapping) -> mapping.confirmedAt() != null && !isReleased(mapping.state()))
			.forEach((mapping) -> registerMappingMeters(registry, mapping));
		listenOnce();
	}

	private void registerStunGauges(MeterRegistry registry) {
		Gauge.builder(STUN_MISMATCH, this.engine, NatMetrics::stunMismatch)
			.description("1 when a STUN server sees this host at another address than the router's external address "
					+ "(double NAT or carrier-grade NAT), 0 when they agree, NaN until both are known")
			.strongReference(true)
			.register(registry);
		for (NatType type : NatType.values()) {
			Gauge.builder(STUN_NAT_TYPE, this.engine, (engine) -> natType(engine, type))
				.tag("type", type.displayName().replace(' ', '-'))
				.description("1 for the NAT type the last successful STUN check measured, 0 for the others; NaN "
						+ "without one")
				.strongReference(true)
				.register(registry);
		}
	}

	/**
	 * Times a STUN check, once: the first check can end while the context still starts, before the meters are
	 * bound, and is then timed when they are.
	 */
	private void recordStunCheck(StunObservation check) {
		StunObservation last = this.lastTimedCheck.getAndSet(check);
		if (last == check) {
			return;
		}
		NatException failure = check.failure();
		for (MeterRegistry each : this.registries) {
			Timer.builder(STUN_CHECKS)
				.tag("transport", tagValue(check.transport()))
				.tag("outcome", (failure != null) ? tagValue(failure.kind()) : "success")
				.description("STUN checks, by outcome: every server tried and, with behaviour discovery, every probe")
				.register(each)
				.record(check.duration());
		}
	}

	private void listenOnce() {
		if (this.listening.compareAndSet(false, true)) {
			this.engine.addListener(new MappingListener() {

				@Override
				public void operationCompleted(MappingOperation operation) {
					recordOperation(operation);
				}

				@Override
				public void mappingCreated(Mapping mapping) {
					recordCreated(mapping);
				}

				@Override
				public void stunChecked(@Nullable StunObservation previous, StunObservation current) {
					recordStunCheck(current);
				}

				@Override
				public void mappingRemoved(Mapping mapping) {
					removeMappingMeters(mapping);
				}

			});
			this.engine.stunObservation().ifPresent(this::recordStunCheck);
		}
	}

	void recordOperation(MappingOperation operation) {
		NatException failure = operation.failure();
		Tags tags = Tags.of("operation", tagValue(operation.kind()), "protocol", tagValue(operation.protocol()),
				"transport", tagValue(operation.transport()));
		for (MeterRegistry registry : this.registries) {
			if (this.timeOperations) {
				Timer.builder(OPERATIONS)
					.description("Exchanges with the router on behalf of a mapping, including finding the router")
					.tags(tags)
					.tag("outcome", (failure != null) ? "failure" : "success")
					.register(registry)
					.record(operation.duration());
			}
			if (failure != null) {
				Counter.builder(FAILURES)
					.description("Failed exchanges with the router, by the kind of error")
					.tags(tags)
					.tag("error", tagValue(failure.kind()))
					.register(registry)
					.increment();
			}
		}
	}

	void recordCreated(Mapping mapping) {
		Duration timeToConfirm = mapping.timeToConfirm();
		if (timeToConfirm != null && !mapping.requestedAt().equals(this.timedRequests.put(mapping.name(), mapping.requestedAt()))) {
			for (MeterRegistry registry : this.registries) {
				Timer.builder(CONFIRMATION)
					.description("Time from asking for a mapping (for 'server': the web server started) to the "
							+ "router's first confirmation")
					.tag(MAPPING_TAG, mapping.name())
					.tag("protocol", tagValue(mapping.protocol()))
					.register(registry)
					.record(timeToConfirm);
			}
		}
		this.registries.forEach((registry) -> registerMappingMeters(registry, mapping));
	}

	void removeMappingMeters(Mapping mapping) {
		for (MeterRegistry registry : this.registries) {
			for (String meterName : List.of(LEASE_REMAINING, EXTERNAL_PORT, CONFIRMED_TIME)) {
				for (Meter meter : registry.find(meterName).tag(MAPPING_TAG, mapping.name()).meters()) {
					registry.remove(meter);
				}
			}
		}
	}

	private void registerMappingMeters(MeterRegistry registry, Mapping mapping) {
		String name = mapping.name();
		Tags tags = Tags.of(MAPPING_TAG, name, "transport", tagValue(mapping.spec().transport()));
		Gauge.builder(LEASE_REMAINING, this, (metrics) -> metrics.leaseRemainingSeconds(name))
			.description("Seconds until the router forgets the mapping unless it is renewed (NaN: never expires)")
			.baseUnit("seconds")
			.tags(tags)
			.strongReference(true)
			.register(registry);
		Gauge.builder(EXTERNAL_PORT, this, (metrics) -> metrics.externalPort(name))
			.description("External port of the mapping on the router, 0 while it is not mapped")
			.tags(tags)
			.strongReference(true)
			.register(registry);
		Gauge.builder(CONFIRMED_TIME, this, (metrics) -> metrics.confirmedEpochSeconds(name))
			.description("When a router first confirmed the mapping, in seconds since the epoch")
			.baseUnit("seconds")
			.tags(tags)
			.strongReference(true)
			.register(registry);
	}

	private double leaseRemainingSeconds(String name) {
		return this.engine.mapping(name).map((mapping) -> leaseRemainingSeconds(mapping, this.clock.instant()))
			.orElse(Double.NaN);
	}

	static double leaseRemainingSeconds(Mapping mapping, Instant now) {
		Instant expiry = mapping.expiresAt();
		if (expiry == null) {
			return mapping.isActive() ? Double.NaN : 0;
		}
		return Math.max(0, Duration.between(now, expiry).toMillis() / 1000.0);
	}

	private double externalPort(String name) {
		return this.engine.mapping(name).filter(Mapping::isActive).map(Mapping::externalPort).orElse(0);
	}

	private double confirmedEpochSeconds(String name) {
		return this.engine.mapping(name)
			.map(Mapping::confirmedAt)
			.map((confirmed) -> confirmed.toEpochMilli() / 1000.0)
			.orElse(Double.NaN);
	}

	private static double count(MappingEngine engine, MappingState state) {
		return engine.mappings().stream().filter((mapping) -> mapping.state() == state).count();
	}

	private static boolean isReleased(MappingState state) {
		return state == MappingState.REMOVED || state == MappingState.ABANDONED;
	}

	/**
	 * A tag value as natboot's meters and observations have it: lower case, dashes, "none" for an unknown value.
	 * @param value a protocol, operation, outcome, error kind or state
	 * @return the tag value
	 */
	public static String tagValue(@Nullable Enum<?> value) {
		if (value == null) {
			return "none";
		}
		if (value instanceof NatProtocol protocol) {
			return protocol.displayName().toLowerCase(Locale.ROOT);
		}
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
