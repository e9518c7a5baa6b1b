package dev.natboot.spring.event;

import dev.natboot.core.mapping.MappingEngine;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Every event natboot publishes: {@code @EventListener(NatEvent.class)} hears them all, the mapping engine's, the
 * relay's and the ICE agents'. The source of a mapping event is the engine it comes from.
 */
public abstract class NatEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	protected NatEvent(MappingEngine source) {
		super(source);
	}

	/**
	 * An event that is not the mapping engine's: the relay's, an ICE agent's.
	 * @param source what publishes it
	 */
	protected NatEvent(Object source) {
		super(source);
	}

	/**
	 * The engine the event comes from.
	 * @return the engine; {@code null} for the relay's and the ICE agents' events
	 */
	public @Nullable MappingEngine getEngine() {
		return (getSource() instanceof MappingEngine engine) ? engine : null;
	}

}
