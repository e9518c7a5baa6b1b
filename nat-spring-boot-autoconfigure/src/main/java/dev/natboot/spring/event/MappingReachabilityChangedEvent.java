package dev.natboot.spring.event;

import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.reachability.Reachability;

/**
 * A check from outside (through a TURN server, {@code nat.turn.servers}) found something new about a mapping:
 * it became REACHABLE, UNREACHABLE (with the likely reason), or the check itself started FAILING.
 */
public class MappingReachabilityChangedEvent extends NatMappingEvent {

	private static final long serialVersionUID = 1L;

	private final transient Reachability previous;

	private final transient Reachability reachability;

	public MappingReachabilityChangedEvent(MappingEngine source, Mapping mapping, Reachability previous,
			Reachability reachability) {
		super(source, mapping);
		this.previous = previous;
		this.reachability = reachability;
	}

	/**
	 * What was known before.
	 * @return the previous result
	 */
	public Reachability getPrevious() {
		return this.previous;
	}

	/**
	 * What the check found.
	 * @return the new result
	 */
	public Reachability getReachability() {
		return this.reachability;
	}

}
