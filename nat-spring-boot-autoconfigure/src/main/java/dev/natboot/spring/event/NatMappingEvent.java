package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;


/**
 * Something happened to a mapping. Carries an immutable snapshot of the mapping as it is after the event.
 */
public abstract class NatMappingEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final transient Mapping mapping;

	protected NatMappingEvent(MappingEngine source, Mapping mapping) {
		super(source);
		this.mapping = mapping;
	}

	public Mapping getMapping() {
		return this.mapping;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.mapping.name() + ", " + this.mapping.state() + "]";
	}

}
