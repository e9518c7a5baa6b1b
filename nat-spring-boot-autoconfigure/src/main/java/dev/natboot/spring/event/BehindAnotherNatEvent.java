package dev.natboot.spring.event;

import java.net.InetAddress;

import dev.natboot.core.mapping.GatewayInfo;
import dev.natboot.core.mapping.MappingEngine;
import org.jspecify.annotations.Nullable;

/**
 * The router started, or stopped, being known to sit behind another NAT (carrier-grade NAT, double NAT), so that
 * ports mapped on it are not reachable from the internet: its own external address is not public (whichever
 * protocol reported it), or a STUN server sees this host at another address. {@link #isBehindAnotherNat()} tells
 * which way it went, {@link #isStunMismatch()} whether a STUN server revealed it.
 */
public class BehindAnotherNatEvent extends NatEvent {

	private static final long serialVersionUID = 1L;

	private final boolean behindAnotherNat;

	private final boolean stunMismatch;

	private final @Nullable InetAddress routerAddress;

	private final @Nullable InetAddress stunAddress;

	public BehindAnotherNatEvent(MappingEngine source, GatewayInfo gateway) {
		super(source);
		this.behindAnotherNat = gateway.isBehindAnotherNat();
		this.stunMismatch = gateway.isStunMismatch();
		this.routerAddress = gateway.externalAddress();
		this.stunAddress = gateway.stunAddress();
	}

	/**
	 * Whether the router is behind another NAT now.
	 * @return true when it became known, false when it is no longer so
	 */
	public boolean isBehindAnotherNat() {
		return this.behindAnotherNat;
	}

	/**
	 * Whether a STUN server sees this host at another address than the router's external address.
	 * @return true when the two addresses differ
	 */
	public boolean isStunMismatch() {
		return this.stunMismatch;
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
	 * @return the address, {@code null} without a successful STUN check
	 */
	public @Nullable InetAddress getStunAddress() {
		return this.stunAddress;
	}

}
