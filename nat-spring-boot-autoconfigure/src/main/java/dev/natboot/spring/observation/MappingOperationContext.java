package dev.natboot.spring.observation;

import dev.natboot.core.mapping.MappingOperation;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of one exchange with the router knows: what was asked when it began, and how it ended
 * once it has.
 */
public class MappingOperationContext extends Observation.Context {

	private final MappingOperation.Started started;

	private volatile @Nullable MappingOperation completed;

	public MappingOperationContext(MappingOperation.Started started) {
		this.started = started;
	}

	/**
	 * What was asked.
	 * @return the exchange as it began
	 */
	public MappingOperation.Started getStarted() {
		return this.started;
	}

	/**
	 * How the exchange ended.
	 * @return the completed operation, {@code null} while it runs
	 */
	public @Nullable MappingOperation getCompleted() {
		return this.completed;
	}

	void setCompleted(MappingOperation completed) {
		this.completed = completed;
	}

}
