package dev.natboot.sample;

import java.net.InetAddress;

import dev.natboot.core.mapping.StunObservation;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.spring.event.BehindAnotherNatEvent;
import dev.natboot.spring.event.MappingReachabilityChangedEvent;
import dev.natboot.spring.event.StunObservationChangedEvent;
import dev.natboot.spring.relay.RelayConnectedEvent;
import dev.natboot.spring.relay.RelayLostEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Shows how an application hears what natboot learns from outside: plain {@code @EventListener} methods.
 */
@Component
class NatEventsLog {

	private static final Log logger = LogFactory.getLog(NatEventsLog.class);

	@EventListener
	void stunObservationChanged(StunObservationChangedEvent event) {
		StunObservation stun = event.getCurrent();
		if (stun.succeeded()) {
			logger.info("Event: the internet sees this app at " + stun.publicAddress().getHostAddress() + ", NAT type "
					+ stun.natType().displayName());
		}
		else {
			logger.info("Event: STUN check failing: " + stun.failure().getMessage());
		}
	}

	@EventListener
	void reachabilityChanged(MappingReachabilityChangedEvent event) {
		Reachability reachability = event.getReachability();
		logger.info("Event: mapping '" + event.getMapping().name() + "' is " + reachability.status() + " from outside"
				+ ((reachability.reason() != null) ? ": " + reachability.reason() : ""));
	}

	@EventListener
	void behindAnotherNat(BehindAnotherNatEvent event) {
		InetAddress router = event.getRouterAddress();
		InetAddress seen = event.getStunAddress();
		if (!event.isBehindAnotherNat()) {
			logger.info("Event: no longer behind another NAT");
		}
		else if (event.isStunMismatch() && router != null && seen != null) {
			logger.info("Event: behind another NAT: the router says " + router.getHostAddress() + ", the internet sees "
					+ seen.getHostAddress());
		}
		else {
			logger.info("Event: behind another NAT: the router's own external address is "
					+ ((router != null) ? router.getHostAddress() : "unknown"));
		}
	}

	@EventListener
	void relayConnected(RelayConnectedEvent event) {
		logger.info("Event: " + event);
	}

	@EventListener
	void relayLost(RelayLostEvent event) {
		logger.info("Event: " + event);
	}

}
