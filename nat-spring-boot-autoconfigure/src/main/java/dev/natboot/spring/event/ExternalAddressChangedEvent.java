package dev.natboot.spring.event;

import java.net.InetAddress;

import dev.natboot.core.mapping.MappingEngine;


/**
 * The router reports another external address than before (a new address from the ISP, say).
 */
public class ExternalAddressChangedEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final InetAddress previous;

	private final InetAddress current;

	public ExternalAddressChangedEvent(MappingEngine source, InetAddress previous, InetAddress current) {
		super(source);
		this.previous = previous;
		this.current = current;
	}

	public InetAddress getPrevious() {
		return this.previous;
	}

	public InetAddress getCurrent() {
		return this.current;
	}

}
