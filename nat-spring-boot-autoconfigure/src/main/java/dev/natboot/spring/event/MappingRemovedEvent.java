package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

/**
 * A mapping was released. Its state says whether the router confirmed ({@code REMOVED}) or not ({@code ABANDONED}).
 */
public class MappingRemovedEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	public MappingRemovedEvent(MappingEngine source, Mapping mapping) {
		super(source, mapping);
	}

}
