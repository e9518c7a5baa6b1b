package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

/**
 * A renewal succeeded with the same external address and port.
 */
public class MappingRenewedEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	public MappingRenewedEvent(MappingEngine source, Mapping mapping) {
		super(source, mapping);
	}

}
