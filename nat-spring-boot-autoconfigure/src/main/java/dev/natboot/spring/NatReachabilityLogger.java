package dev.natboot.spring;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.Optional;
import java.util.function.Function;

import dev.natboot.core.AddressScope;
import dev.natboot.core.IpLiteral;
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
import org.jspecify.annotations.Nullable;

/**
 * Logs one clear line when the application becomes reachable from outside, and when that changes. With TURN
 * servers to check from outside, "reachable" is said only once a check proved it; until then a mapping is
 * "mapped on the router".
 * <p>
 * With an IPv6 pinhole beside the IPv4 mapping, the first line waits for both outcomes and tells them together:
 * "reachable at 11.22.33.1:8080 and [2001:db8:1::10]:8080", or "reachable over IPv6 only" when the IPv4 side is
 * behind carrier-grade NAT or refused. Each attempt is bounded by its retransmissions, so the wait is too.
 */
public class NatReachabilityLogger implements MappingListener, ReachabilityListener {

	private static final Log logger = LogFactory.getLog(NatReachabilityLogger.class);

	private final boolean verifiedFromOutside;

	/** The engine's mappings by name: whether the web server's other family is still on its way. */
	private final Function<String, Optional<Mapping>> mappings;

	/** The first of the web server's two outcomes, held for the second. */
	private @Nullable Outcome held;

	/** Whether the web server's startup line (the one that may pair both families) was written. */
	private boolean paired;

	public NatReachabilityLogger() {
		this(false);
	}

	/**
	 * A logger.
	 * @param verifiedFromOutside whether checks from outside follow each mapping (TURN servers configured)
	 */
	public NatReachabilityLogger(boolean verifiedFromOutside) {
		this(verifiedFromOutside, (name) -> Optional.empty());
	}

	/**
	 * A logger that pairs the web server's IPv4 mapping and IPv6 pinhole in one line.
	 * @param verifiedFromOutside whether checks from outside follow each mapping (TURN servers configured)
	 * @param mappings the engine's mappings by name
	 */
	public NatReachabilityLogger(boolean verifiedFromOutside, Function<String, Optional<Mapping>> mappings) {
		this.verifiedFromOutside = verifiedFromOutside;
		this.mappings = mappings;
	}

	@Override
	public synchronized void mappingCreated(Mapping mapping) {
		if (pairs(mapping, new Outcome(mapping, null))) {
			return;
		}
		logCreated(mapping);
	}

	@Override
	public synchronized void mappingFailed(Mapping mapping, NatException cause) {
		pairs(mapping, new Outcome(mapping, cause));
	}

	/**
	 * Holds or pairs one of the web server's two first outcomes.
	 * @return true if the outcome was held or written with its partner
	 */
	private boolean pairs(Mapping mapping, Outcome outcome) {
		String partner = partnerOf(mapping.name());
		if (partner == null || this.paired) {
			return false;
		}
		Outcome first = this.held;
		if (first != null && first.mapping().name().equals(partner)) {
			this.held = null;
			this.paired = true;
			Outcome v4 = first.ipv6() ? outcome : first;
			Outcome v6 = first.ipv6() ? first : outcome;
			logPair(v4, v6);
			return true;
		}
		Optional<Mapping> other = this.mappings.apply(partner);
		if (other.isPresent() && other.get().confirmedAt() == null && other.get().lastError() == null) {
			this.held = outcome;
			return true;
		}
		this.paired = other.isPresent() || outcome.ipv6();
		return false;
	}

	private void logPair(Outcome v4, Outcome v6) {
		boolean v4Reachable = v4.reachable();
		boolean v6Reachable = v6.reachable();
		if (v4Reachable && v6Reachable) {
			if (logger.isInfoEnabled()) {
				Mapping mapping = v4.mapping();
				boolean checked = this.verifiedFromOutside && mapping.spec().transport() == Transport.TCP;
				logger.info(subject(mapping) + (checked ? " is mapped on the router at " : " is reachable at ")
						+ endpoint(mapping) + " and " + endpoint(v6.mapping()) + " " + how(mapping, v6.mapping())
						+ (checked ? "; checking both from outside" : ""));
			}
		}
		else if (v6Reachable) {
			if (logger.isInfoEnabled()) {
				logger.info(subject(v6.mapping()) + " is reachable over IPv6 only, at " + endpoint(v6.mapping()) + " "
						+ how(v6.mapping()) + "; over IPv4 " + v4.whyNot());
			}
		}
		else {
			if (v4.failure() == null) {
				logCreated(v4.mapping());
			}
			if (v6.failure() == null) {
				logCreated(v6.mapping());
			}
			else if (v4Reachable) {
				logger.info(subject(v6.mapping()) + " has no IPv6 pinhole: " + v6.failure().getMessage());
			}
		}
	}

	private static @Nullable String partnerOf(String name) {
		if (WebServerPortMapper.MAPPING_NAME.equals(name)) {
			return WebServerPortMapper.IPV6_MAPPING_NAME;
		}
		return WebServerPortMapper.IPV6_MAPPING_NAME.equals(name) ? WebServerPortMapper.MAPPING_NAME : null;
	}

	private void logCreated(Mapping mapping) {
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
			case UNREACHABLE -> logger.warn(subject(mapping) + (isPinhole(mapping) ? " has an IPv6 pinhole at "
					: " is mapped on the router at ") + current.endpoint() + ", but not reachable from outside: "
					+ current.reason());
			case FAILING -> logger.warn(subject(mapping) + ": the check from outside failed, so whether "
					+ current.endpoint() + " is reachable is unknown: " + current.reason());
			case UNVERIFIED -> {
				// Lost or not mapped: the mapping's own lines say so.
			}
		}
	}

	private static boolean isPinhole(Mapping mapping) {
		return mapping.spec().family() == java.net.StandardProtocolFamily.INET6;
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
			logger.info("The router's external address changed from " + IpLiteral.format(previous) + " to "
					+ IpLiteral.format(current) + "; every mapping follows, with its new endpoint below");
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
		String what = (WebServerPortMapper.MAPPING_NAME.equals(mapping.name())
				|| WebServerPortMapper.IPV6_MAPPING_NAME.equals(mapping.name())) ? "Web server port"
						: "Port of mapping '" + mapping.name() + "'";
		return what + " " + mapping.spec().internalPort() + "/" + mapping.spec().transport();
	}

	private static String endpoint(Mapping mapping) {
		InetAddress address = mapping.externalAddress();
		return (address != null) ? IpLiteral.endpoint(address, mapping.externalPort()) : "(none)";
	}

	private static String how(Mapping mapping) {
		if (mapping.protocol() == NatProtocol.MANUAL) {
			return "(extip: forwarded by hand, not checked)";
		}
		return "(" + details(mapping) + ")";
	}

	/** How both were made, in one parenthesis: the IPv4 mapping's way, then the pinhole's. */
	private static String how(Mapping ipv4, Mapping ipv6) {
		return "(" + details(ipv4) + "; IPv6 " + details(ipv6) + ")";
	}

	private static String details(Mapping mapping) {
		StringBuilder how = new StringBuilder();
		how.append((mapping.protocol() != null) ? mapping.protocol().displayName() : "?");
		if (mapping.spec().family() == StandardProtocolFamily.INET6) {
			how.append(" pinhole");
		}
		if (mapping.gateway() != null) {
			how.append(" via gateway ").append(IpLiteral.format(mapping.gateway().getAddress()));
		}
		if (mapping.lifetime() != null) {
			how.append(", lease ").append(mapping.lifetime().toSeconds()).append(" s");
		}
		if (mapping.timeToConfirm() != null) {
			how.append(", confirmed in ").append(String.format("%.1f", mapping.timeToConfirm().toNanos() / 1e6))
				.append(" ms");
		}
		return how.toString();
	}

	/** One of the web server's first outcomes: created, or failed with a cause. */
	private record Outcome(Mapping mapping, @Nullable NatException failure) {

		boolean ipv6() {
			return this.mapping.spec().family() == StandardProtocolFamily.INET6;
		}

		boolean reachable() {
			InetAddress address = this.mapping.externalAddress();
			return this.failure == null && address != null && (AddressScope.of(address).isReachableFromInternet()
					|| this.mapping.protocol() == NatProtocol.MANUAL);
		}

		String whyNot() {
			if (this.failure != null) {
				return "it is not mapped: " + this.failure.getMessage();
			}
			InetAddress address = this.mapping.externalAddress();
			AddressScope scope = (address != null) ? AddressScope.of(address) : AddressScope.INVALID;
			return "it is mapped on the router at " + endpoint(this.mapping) + ", but the router's external address is "
					+ describe(scope) + ", so the router itself is behind another NAT";
		}

	}

}
