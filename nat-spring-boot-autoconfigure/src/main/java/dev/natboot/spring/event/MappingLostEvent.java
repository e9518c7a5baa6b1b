package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

/**
 * A renewal found that the router had dropped the mapping; a {@link MappingCreatedEvent} follows when it is created again.
 */
public class MappingLostEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	public MappingLostEvent(MappingEngine source, Mapping mapping) {
		super(source, mapping);
	}

}
