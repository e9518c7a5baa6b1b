package dev.natboot.cli;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.Transport;
import dev.natboot.core.ice.IceRole;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnServer;
import org.jspecify.annotations.Nullable;

/**
 * What {@code ice} was asked to do.
 *
 * @param role the role to start in
 * @param stun STUN servers for server-reflexive candidates
 * @param addresses the local addresses for host candidates, empty for every usable one
 * @param port the local port, 0 for any
 * @param map whether to map the socket on the router for a port-mapped candidate
 * @param timeout how long checking may take
 * @param echo whether to send back every datagram the peer sends
 * @param turn a TURN server for a relayed candidate
 * @param turnCredentials its credentials
 * @param transports the candidates' transports: UDP, and TCP with {@code --tcp}, or TCP alone with
 *     {@code --tcp-only}
 */
record IceOptions(IceRole role, List<StunServer> stun, List<InetAddress> addresses, int port, boolean map,
		Duration timeout, boolean echo, @Nullable TurnServer turn, @Nullable TurnCredentials turnCredentials,
		Set<Transport> transports) {

	static IceOptions parse(String[] args) {
		IceRole role = IceRole.CONTROLLING;
		List<StunServer> stun = new ArrayList<>();
		List<InetAddress> addresses = new ArrayList<>();
		int port = 0;
		boolean map = false;
		boolean echo = false;
		Set<Transport> transports = EnumSet.of(Transport.UDP);
		Duration timeout = Duration.ofSeconds(30);
		TurnServer turn = null;
		String user = null;
		String password = null;
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			switch (option) {
				case "--controlled" -> role = IceRole.CONTROLLED;
				case "--controlling" -> role = IceRole.CONTROLLING;
				case "--map" -> map = true;
				case "--echo" -> echo = true;
				case "--tcp" -> transports = EnumSet.of(Transport.UDP, Transport.TCP);
				case "--tcp-only" -> transports = EnumSet.of(Transport.TCP);
				default -> {
					if (i + 1 >= args.length) {
						throw new IllegalArgumentException("Option " + option + " needs a value, or is unknown.");
					}
					String value = args[++i];
					switch (option) {
						case "--stun" -> stun.add(StunServer.parse(value));
						case "--address" -> {
							InetAddress address = IpLiteral.parse(value);
							if (address == null) {
								throw new IllegalArgumentException("--address takes an IP address, not '" + value + "'.");
							}
							addresses.add(address);
						}
						case "--port" -> port = number(option, value, 0, 65535);
						case "--turn" -> turn = TurnServer.parse(value);
						case "--turn-user" -> user = value;
						case "--turn-password" -> password = value;
						case "--timeout" -> timeout = Duration.ofSeconds(number(option, value, 1, 3600));
						default -> throw new IllegalArgumentException("Unknown option " + option + ".");
					}
				}
			}
		}
		TurnCredentials credentials = NetcheckOptions.credentialsOf(turn, user, password);
		return new IceOptions(role, List.copyOf(stun), List.copyOf(addresses), port, map, timeout, echo, turn,
				credentials, Set.copyOf(transports));
	}

	private static int number(String option, String value, int min, int max) {
		int number;
		try {
			number = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			number = min - 1;
		}
		if (number < min || number > max) {
			throw new IllegalArgumentException(option + " takes " + min + " to " + max + ", not '" + value + "'.");
		}
		return number;
	}

}
