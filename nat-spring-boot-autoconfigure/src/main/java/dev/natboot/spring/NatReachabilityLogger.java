package dev.natboot.spring;

import java.net.InetAddress;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingListener;
import dev.natboot.core.mapping.MappingState;
import dev.natboot.core.reachability.Reachability;
import dev.natboot.core.reachability.ReachabilityListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs one clear line when the application becomes reachable from outside, and when that changes. With TURN
 * servers to check from outside, "reachable" is said only once a check proved it; until then a mapping is
 * "mapped on the router".
 */
public class NatReachabilityLogger implements MappingListener, ReachabilityListener {

	private static final Log logger = LogFactory.getLog(NatReachabilityLogger.class);

	private final boolean verifiedFromOutside;

	public NatReachabilityLogger() {
		this(false);
	}

	/**
	 * A logger.
	 * @param verifiedFromOutside whether checks from outside follow each mapping (TURN servers configured)
	 */
	public NatReachabilityLogger(boolean verifiedFromOutside) {
		this.verifiedFromOutside = verifiedFromOutside;
	}

	@Override
	public void mappingCreated(Mapping mapping) {
		AddressScope scope = (mapping.externalAddress() != null) ? AddressScope.of(mapping.externalAddress())
				: AddressScope.INVALID;
		if (scope.isReachableFromInternet() || mapping.protocol() == NatProtocol.MANUAL) {
			if (logger.isInfoEnabled()) {
				boolean checked = this.verifiedFromOutside && mapping.spec().transport() == Transport.TCP;
				logger.info(subject(mapping) + (checked ? " is mapped on the router at " : " is reachable at ")
						+ endpoint(mapping) + " " + how(mapping) + (checked ? "; checking it from outside" : ""));
			}
		}
		else {
			logger.warn(subject(mapping) + " is mapped on the router at " + endpoint(mapping) + " " + how(mapping)
					+ ", but not reachable from the internet: the router's external address is " + describe(scope)
					+ ", so the router itself is behind another NAT");
		}
	}

	@Override
	public void reachabilityChanged(Mapping mapping, Reachability previous, Reachability current) {
		switch (current.status()) {
			case REACHABLE -> {
				if (logger.isInfoEnabled()) {
					logger.info(subject(mapping) + " is verified reachable from outside at " + current.endpoint()
							+ " (through " + current.via() + ", checked in " + millis(current) + " ms)");
				}
			}
			case UNREACHABLE -> logger.warn(subject(mapping) + " is mapped on the router at " + current.endpoint()
					+ ", but not reachable from outside: " + current.reason());
			case FAILING -> logger.warn(subject(mapping) + ": the check from outside failed, so whether "
					+ current.endpoint() + " is reachable is unknown: " + current.reason());
			case UNVERIFIED -> {
				// Lost or not mapped: the mapping's own lines say so.
			}
		}
	}

	private static String millis(Reachability reachability) {
		return (reachability.took() != null) ? Long.toString(reachability.took().toMillis()) : "?";
	}

	private static String describe(AddressScope scope) {
		return switch (scope) {
			case PRIVATE -> "a private address";
			case SHARED -> "a carrier-grade NAT address (100.64.0.0/10)";
			case UNSPECIFIED -> "unset (0.0.0.0: the router is not connected)";
			case LOCAL -> "a loopback or link-local address";
			default -> "not a valid address";
		};
	}

	@Override
	public void externalAddressChanged(InetAddress previous, InetAddress current) {
		if (logger.isInfoEnabled()) {
			logger.info("The router's external address changed from " + previous.getHostAddress() + " to "
					+ current.getHostAddress() + "; every mapping follows, with its new endpoint below");
		}
	}

	@Override
	public void mappingChanged(Mapping previous, Mapping current) {
		if (logger.isInfoEnabled()) {
			logger.info(subject(current) + " moved from " + endpoint(previous) + " to " + endpoint(current) + " "
					+ how(current));
		}
	}

	@Override
	public void mappingRemoved(Mapping mapping) {
		if (mapping.state() == MappingState.ABANDONED) {
			NatException cause = mapping.lastError();
			logger.warn(subject(mapping) + ": the router did not confirm the release ("
					+ ((cause != null) ? cause.getMessage() : "no answer") + "); the mapping expires by itself"
					+ ((mapping.expiresAt() != null) ? " at " + mapping.expiresAt() : ""));
		}
		else if (mapping.lastError() != null && mapping.lastError().kind() == NatErrorKind.MAPPING_TAKEN) {
			logger.warn(subject(mapping) + " was no longer mapped for this application: " + mapping.lastError().getMessage());
		}
		else if (logger.isInfoEnabled()) {
			logger.info(subject(mapping) + " is no longer mapped on the router");
		}
	}

	static String subject(Mapping mapping) {
		String what = WebServerPortMapper.MAPPING_NAME.equals(mapping.name()) ? "Web server port"
				: "Port of mapping '" + mapping.name() + "'";
		return what + " " + mapping.spec().internalPort() + "/" + mapping.spec().transport();
	}

	private static String endpoint(Mapping mapping) {
		return (mapping.externalAddress() != null)
				? mapping.externalAddress().getHostAddress() + ":" + mapping.externalPort() : "(none)";
	}

	private static String how(Mapping mapping) {
		if (mapping.protocol() == NatProtocol.MANUAL) {
			return "(extip: forwarded by hand, not checked)";
		}
		StringBuilder how = new StringBuilder("(");
		how.append((mapping.protocol() != null) ? mapping.protocol().displayName() : "?");
		if (mapping.gateway() != null) {
			how.append(" via gateway ").append(mapping.gateway().getAddress().getHostAddress());
		}
		if (mapping.lifetime() != null) {
			how.append(", lease ").append(mapping.lifetime().toSeconds()).append(" s");
		}
		if (mapping.timeToConfirm() != null) {
			how.append(", confirmed in ").append(String.format("%.1f", mapping.timeToConfirm().toNanos() / 1e6))
				.append(" ms");
		}
		return how.append(")").toString();
	}

}
