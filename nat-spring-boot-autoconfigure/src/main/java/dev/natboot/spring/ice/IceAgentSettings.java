package dev.natboot.spring.ice;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

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
 */
public record IceAgentSettings(List<StunServer> stunServers, List<TurnServer> turnServers,
		@Nullable TurnCredentials turnCredentials, List<InetAddress> localAddresses, int localPort, Duration pacing,
		Duration nominationDelay, Duration consentInterval, Duration consentTimeout, int checkRateLimit,
		Duration connectTimeout) {

	public IceAgentSettings {
		stunServers = List.copyOf(stunServers);
		turnServers = List.copyOf(turnServers);
		localAddresses = List.copyOf(localAddresses);
	}

	@Override
	public String toString() {
		return "IceAgentSettings[stun=" + this.stunServers + ", turn=" + this.turnServers + ", local="
				+ this.localAddresses + ", pacing=" + this.pacing + "]";
	}

}
