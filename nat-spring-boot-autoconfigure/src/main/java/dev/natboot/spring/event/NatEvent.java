package dev.natboot.spring.event;

import dev.natboot.core.mapping.MappingEngine;

import org.springframework.context.ApplicationEvent;

/**
 * Every event natboot publishes: {@code @EventListener(NatEvent.class)} hears them all. The source is the
 * engine the event comes from.
 */
public abstract class NatEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	protected NatEvent(MappingEngine source) {
		super(source);
	}

	/**
	 * The engine the event comes from.
	 * @return the engine
	 */
	public MappingEngine getEngine() {
		return (MappingEngine) getSource();
	}

}
