package dev.natboot.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.natboot.core.Transport;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Peer-to-peer connections with ICE (RFC 8445): the {@code IceAgents} bean creates agents with the STUN servers of
 * {@code nat.stun.servers}, the TURN servers and credentials of {@code nat.turn.*}, port-mapped candidates from
 * the mapping engine, and these settings.
 */
@ConfigurationProperties("nat.ice")
public class NatIceProperties implements Validator {

	/**
	 * Whether to provide the IceAgents bean.
	 */
	private boolean enabled = true;

	/**
	 * Whether each agent's socket is mapped on the router (PCP, NAT-PMP or UPnP, as nat.mode allows) for a
	 * port-mapped candidate: a direct path even behind a NAT that gives each destination a port of its own.
	 */
	private boolean portMapping = true;

	/**
	 * Comma-separated list of the local addresses host candidates go on; when empty, every address of every
	 * interface that is up but loopback and link-local ones. Name them to keep an address (a VPN's) from the peer.
	 */
	private List<InetAddress> localAddresses = new ArrayList<>();

	/**
	 * Local port of every agent socket (and of the passive TCP candidate's), for a firewall that opens one; 0 for
	 * any free port.
	 */
	private int localPort;

	/**
	 * Comma-separated list of the candidates' transports: udp, tcp (ICE-TCP, RFC 6544: active, passive and
	 * simultaneous-open candidates, for networks that block UDP), or both. UDP pairs win where both connect.
	 */
	private List<Transport> transports = new ArrayList<>(List.of(Transport.UDP));

	/**
	 * Time between two checks an agent starts (Ta, RFC 8445 section 14.2); 5 ms at least.
	 */
	private Duration pacing = Duration.ofMillis(20);

	/**
	 * How long the controlling agent waits, after its first valid pair, for a better pair that may still answer.
	 */
	private Duration nominationDelay = Duration.ofMillis(100);

	/**
	 * Mean time between consent checks on a connection (RFC 7675).
	 */
	private Duration consentInterval = Duration.ofSeconds(5);

	/**
	 * How long a connection waits for an answer to its consent checks before it closes (RFC 7675: 30 s).
	 */
	private Duration consentTimeout = Duration.ofSeconds(30);

	/**
	 * Checks a second one source may send an agent before the rest are dropped unread.
	 */
	private int checkRateLimit = 100;

	/**
	 * How long checking may take by default (IceAgents.connectTimeout()).
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	@Override
	public boolean supports(Class<?> type) {
		return NatIceProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		NatIceProperties ice = (NatIceProperties) target;
		if (ice.pacing.toMillis() < 5) {
			errors.rejectValue("pacing", "invalid", "nat.ice.pacing must be 5 ms or more (RFC 8445), not " + ice.pacing);
		}
		if (ice.nominationDelay.isNegative()) {
			errors.rejectValue("nominationDelay", "invalid", "nat.ice.nomination-delay must not be negative");
		}
		if (ice.consentInterval.toMillis() < 10 || ice.consentTimeout.compareTo(ice.consentInterval) <= 0) {
			errors.rejectValue("consentTimeout", "invalid", "nat.ice.consent-timeout (" + ice.consentTimeout
					+ ") must be longer than nat.ice.consent-interval (" + ice.consentInterval + "), itself 10 ms or more");
		}
		if (ice.checkRateLimit < 1) {
			errors.rejectValue("checkRateLimit", "invalid", "nat.ice.check-rate-limit must be at least 1");
		}
		if (ice.localPort < 0 || ice.localPort > 65535) {
			errors.rejectValue("localPort", "invalid", "nat.ice.local-port must be 0 to 65535, not " + ice.localPort);
		}
		if (ice.transports.isEmpty()) {
			errors.rejectValue("transports", "invalid", "nat.ice.transports must name udp, tcp or both");
		}
		if (ice.connectTimeout.isNegative() || ice.connectTimeout.isZero()) {
			errors.rejectValue("connectTimeout", "invalid", "nat.ice.connect-timeout must be positive");
		}
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isPortMapping() {
		return this.portMapping;
	}

	public void setPortMapping(boolean portMapping) {
		this.portMapping = portMapping;
	}

	public List<InetAddress> getLocalAddresses() {
		return this.localAddresses;
	}

	public void setLocalAddresses(List<InetAddress> localAddresses) {
		this.localAddresses = localAddresses;
	}

	public int getLocalPort() {
		return this.localPort;
	}

	public void setLocalPort(int localPort) {
		this.localPort = localPort;
	}

	public List<Transport> getTransports() {
		return this.transports;
	}

	public void setTransports(List<Transport> transports) {
		this.transports = transports;
	}

	public Duration getPacing() {
		return this.pacing;
	}

	public void setPacing(Duration pacing) {
		this.pacing = pacing;
	}

	public Duration getNominationDelay() {
		return this.nominationDelay;
	}

	public void setNominationDelay(Duration nominationDelay) {
		this.nominationDelay = nominationDelay;
	}

	public Duration getConsentInterval() {
		return this.consentInterval;
	}

	public void setConsentInterval(Duration consentInterval) {
		this.consentInterval = consentInterval;
	}

	public Duration getConsentTimeout() {
		return this.consentTimeout;
	}

	public void setConsentTimeout(Duration consentTimeout) {
		this.consentTimeout = consentTimeout;
	}

	public int getCheckRateLimit() {
		return this.checkRateLimit;
	}

	public void setCheckRateLimit(int checkRateLimit) {
		this.checkRateLimit = checkRateLimit;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

}
