package dev.natboot.spring.event;

import java.net.InetAddress;

import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.MappingEngine;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * A STUN server started, or stopped, seeing this host at another address than the router's external address: another
 * NAT (double NAT, carrier-grade NAT) sits in front of the router, so its mappings are not reachable from the
 * internet. {@link #isBehindAnotherNat()} tells which way it went.
 */
public class BehindAnotherNatEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final boolean behindAnotherNat;

	private final @Nullable InetAddress routerAddress;

	private final @Nullable InetAddress stunAddress;

	public BehindAnotherNatEvent(MappingEngine source, GatewayInfo gateway) {
		super(source);
		this.behindAnotherNat = gateway.isStunMismatch();
		this.routerAddress = gateway.externalAddress();
		this.stunAddress = gateway.stunAddress();
	}

	/**
	 * Whether the addresses differ now.
	 * @return true when they started to differ, false when they agree again
	 */
	public boolean isBehindAnotherNat() {
		return this.behindAnotherNat;
	}

	/**
	 * The external address the router reports.
	 * @return the address
	 */
	public @Nullable InetAddress getRouterAddress() {
		return this.routerAddress;
	}

	/**
	 * The address the STUN server sees.
	 * @return the address
	 */
	public @Nullable InetAddress getStunAddress() {
		return this.stunAddress;
	}

}
