package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

/**
 * A renewal succeeded with another external address or port than before.
 */
public class MappingChangedEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	private final transient Mapping previous;

	public MappingChangedEvent(MappingEngine source, Mapping previous, Mapping current) {
		super(source, current);
		this.previous = previous;
	}

	/**
	 * The mapping before the change.
	 * @return its snapshot
	 */
	public Mapping getPrevious() {
		return this.previous;
	}

}
