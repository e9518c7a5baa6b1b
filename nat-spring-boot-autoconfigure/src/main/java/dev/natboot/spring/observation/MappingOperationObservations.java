package dev.natboot.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingOperation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes each exchange with the router as a Micrometer {@link Observation}: started when the engine has sent
 * its request, stopped when the exchange ends, with the failure as the observation's error. Spring Boot makes a
 * timer of each (named {@code nat.mapping.operations}, as natboot's own timer without observations) and, with
 * tracing, a span. The engine's thread runs this; nothing here blocks.
 */
public class MappingOperationObservations implements MappingListener {

	/** More exchanges in flight than an engine ever has: past this, new ones are not observed. */
	private static final int MAX_IN_FLIGHT = 10_000;

	private static final MappingOperationObservationConvention DEFAULT_CONVENTION =
			new DefaultMappingOperationObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable MappingOperationObservationConvention convention;

	private final Map<Long, Observation> inFlight = new ConcurrentHashMap<>();

	/**
	 * Creates the observer.
	 * @param registry where observations go
	 * @param convention a convention replacing the default one, {@code null} for the default
	 */
	public MappingOperationObservations(ObservationRegistry registry,
			@Nullable MappingOperationObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public void operationStarted(MappingOperation.Started started) {
		if (this.registry.isNoop() || this.inFlight.size() >= MAX_IN_FLIGHT) {
			return;
		}
		MappingOperationContext context = new MappingOperationContext(started);
		Observation observation = Observation.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context,
				this.registry);
		this.inFlight.put(started.id(), observation.start());
	}

	@Override
	public void operationCompleted(MappingOperation operation) {
		Observation observation = this.inFlight.remove(operation.id());
		if (observation == null) {
			return;
		}
		if (observation.getContext() instanceof MappingOperationContext context) {
			context.setCompleted(operation);
		}
		if (operation.failure() != null) {
			observation.error(operation.failure());
		}
		observation.stop();
	}

}
