package dev.natboot.spring.event;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.StunObservation;
import org.jspecify.annotations.Nullable;

/**
 * A STUN check saw something other than the check before: the first answer, another public address, another NAT
 * type or behaviour, or a failure after success (or the reverse). Checks that see the same publish nothing.
 */
public class StunObservationChangedEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final transient @Nullable StunObservation previous;

	private final transient StunObservation current;

	public StunObservationChangedEvent(MappingEngine source, @Nullable StunObservation previous,
			StunObservation current) {
		super(source);
		this.previous = previous;
		this.current = current;
	}

	/**
	 * The check before.
	 * @return the check, {@code null} for the first
	 */
	public @Nullable StunObservation getPrevious() {
		return this.previous;
	}

	public StunObservation getCurrent() {
		return this.current;
	}

}
