package dev.natboot.spring.ice;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.natboot.core.Transport;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnServer;
import org.jspecify.annotations.Nullable;

/**
 * What every agent of {@link IceAgents} is built with.
 * @param stunServers for server-reflexive candidates ({@code nat.stun.servers})
 * @param turnServers for relayed candidates ({@code nat.turn.servers})
 * @param turnCredentials their credentials ({@code nat.turn.username} and {@code password}); never logged
 * @param localAddresses where host candidates go, empty for every usable address
 * @param localPort every socket's port, 0 for any
 * @param pacing Ta
 * @param nominationDelay how long the controlling side waits for a better pair
 * @param consentInterval how often consent is checked
 * @param consentTimeout how long without an answer before consent is lost
 * @param checkRateLimit checks a second one source may send
 * @param connectTimeout the default timeout of a connect
 * @param transports the candidates' transports ({@code nat.ice.transports}): UDP, TCP or both
 */
public record IceAgentSettings(List<StunServer> stunServers, List<TurnServer> turnServers,
		@Nullable TurnCredentials turnCredentials, List<InetAddress> localAddresses, int localPort, Duration pacing,
		Duration nominationDelay, Duration consentInterval, Duration consentTimeout, int checkRateLimit,
		Duration connectTimeout, Set<Transport> transports) {

	public IceAgentSettings {
		stunServers = List.copyOf(stunServers);
		turnServers = List.copyOf(turnServers);
		localAddresses = List.copyOf(localAddresses);
		transports = Set.copyOf(transports);
		if (transports.isEmpty()) {
			throw new IllegalArgumentException("An agent needs at least one transport");
		}
	}

	/** The settings of UDP agents, as before ICE-TCP. */
	public IceAgentSettings(List<StunServer> stunServers, List<TurnServer> turnServers,
			@Nullable TurnCredentials turnCredentials, List<InetAddress> localAddresses, int localPort, Duration pacing,
			Duration nominationDelay, Duration consentInterval, Duration consentTimeout, int checkRateLimit,
			Duration connectTimeout) {
		this(stunServers, turnServers, turnCredentials, localAddresses, localPort, pacing, nominationDelay,
				consentInterval, consentTimeout, checkRateLimit, connectTimeout, Set.of(Transport.UDP));
	}

	@Override
	public String toString() {
		return "IceAgentSettings[stun=" + this.stunServers + ", turn=" + this.turnServers + ", local="
				+ this.localAddresses + ", transports=" + this.transports + ", pacing=" + this.pacing + "]";
	}

}
