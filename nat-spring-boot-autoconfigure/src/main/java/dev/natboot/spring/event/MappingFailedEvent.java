package dev.natboot.spring.event;

import dev.natboot.core.NatException;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

/**
 * An attempt to create or renew a mapping failed; the engine keeps trying.
 */
public class MappingFailedEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	private final NatException cause;

	public MappingFailedEvent(MappingEngine source, Mapping mapping, NatException cause) {
		super(source, mapping);
		this.cause = cause;
	}

	/**
	 * What went wrong: its kind, the protocol, and the router's own code when it sent one.
	 * @return the typed failure
	 */
	public NatException getCause() {
		return this.cause;
	}

}
