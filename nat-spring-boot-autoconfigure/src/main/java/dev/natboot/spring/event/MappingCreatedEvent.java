package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

/**
 * A router confirmed a mapping for the first time, or created it again after losing it.
 */
public class MappingCreatedEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	public MappingCreatedEvent(MappingEngine source, Mapping mapping) {
		super(source, mapping);
	}

}
