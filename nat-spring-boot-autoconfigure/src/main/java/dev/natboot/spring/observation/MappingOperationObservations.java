package dev.natboot.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingOperation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes each exchange with the router as a Micrometer {@link Observation}: started when the engine has sent
 * its request, stopped when the exchange ends, with the failure as the observation's error. Spring Boot makes a
 * timer of each (named {@code nat.mapping.operations}, as natboot's own timer without observations) and, with
 * tracing, a span.
 * <p>
 * The observations start and stop on a thread of their own, in order, never on the engine's: the first one
 * registers meters (a Prometheus histogram among them), which in a starting application took 10-40 ms of the
 * engine's thread and held back the router's answer by as much. That thread exists only while there is work;
 * it starts an observation within microseconds of the request, so that the timings hold, except the very first
 * one's, which is short by the time Micrometer takes to set itself up.
 */
public class MappingOperationObservations implements MappingListener, AutoCloseable {

	/** More exchanges in flight than an engine ever has: past this, new ones are not observed. */
	private static final int MAX_IN_FLIGHT = 10_000;

	private static final MappingOperationObservationConvention DEFAULT_CONVENTION =
			new DefaultMappingOperationObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable MappingOperationObservationConvention convention;

	private final Map<Long, Observation> inFlight = new ConcurrentHashMap<>();

	private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(), (task) -> {
				Thread thread = new Thread(task, "nat-observations");
				thread.setDaemon(true);
				return thread;
			});

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
		if (this.registry.isNoop() || this.executor.getQueue().size() >= MAX_IN_FLIGHT) {
			return;
		}
		run(() -> {
			if (this.inFlight.size() < MAX_IN_FLIGHT) {
				MappingOperationContext context = new MappingOperationContext(started);
				this.inFlight.put(started.id(), Observation
					.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
					.start());
			}
		});
	}

	@Override
	public void operationCompleted(MappingOperation operation) {
		run(() -> {
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
		});
	}

	private void run(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed with the context: an exchange that ends after that is not observed.
		}
	}

	/** Stops taking work; what is queued still runs. */
	@Override
	public void close() {
		this.executor.shutdown();
	}

}
