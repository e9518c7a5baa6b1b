package dev.natboot.cli;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.InvalidNatModeException;
import dev.natboot.core.NatMode;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnServer;

/**
 * What {@code netcheck} was asked to do.
 *
 * @param json JSON output
 * @param mode the test mapping's mode
 * @param gateway the router to ask, {@code null} for the default gateway
 * @param stun a STUN server
 * @param turn a TURN server
 * @param turnCredentials its credentials
 * @param port the test mapping's port, 0 for any free one
 */
record NetcheckOptions(boolean json, NatMode mode, @Nullable InetAddress gateway, @Nullable StunServer stun,
		@Nullable TurnServer turn, @Nullable TurnCredentials turnCredentials, int port) {

	static NetcheckOptions parse(String[] args) {
		boolean json = false;
		NatMode mode = NatMode.ANY;
		InetAddress gateway = null;
		StunServer stun = null;
		TurnServer turn = null;
		String user = null;
		String password = null;
		int port = 0;
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (option.equals("--json")) {
				json = true;
				continue;
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Option " + option + " needs a value, or is unknown.");
			}
			String value = args[++i];
			switch (option) {
				case "--mode" -> {
					try {
						mode = NatMode.of(value);
					}
					catch (InvalidNatModeException ex) {
						throw new IllegalArgumentException("--mode: " + ex.getMessage());
					}
				}
				case "--gateway" -> {
					gateway = IpLiteral.parse(value);
					if (gateway == null) {
						throw new IllegalArgumentException("--gateway takes an IP address, not '" + value + "'.");
					}
				}
				case "--stun" -> stun = StunServer.parse(value);
				case "--turn" -> turn = TurnServer.parse(value);
				case "--turn-user" -> user = value;
				case "--turn-password" -> password = value;
				case "--port" -> {
					try {
						port = Integer.parseInt(value);
					}
					catch (NumberFormatException ex) {
						port = -1;
					}
					if (port < 0 || port > 65535) {
						throw new IllegalArgumentException("--port takes 0 to 65535, not '" + value + "'.");
					}
				}
				default -> throw new IllegalArgumentException("Unknown option " + option + ".");
			}
		}
		return new NetcheckOptions(json, mode, gateway, stun, turn, credentialsOf(turn, user, password), port);
	}

	/**
	 * The credentials of {@code --turn-user} and {@code --turn-password}, which go with {@code --turn} and only
	 * with it; {@code ice} takes them the same way.
	 */
	static @Nullable TurnCredentials credentialsOf(@Nullable TurnServer turn, @Nullable String user,
			@Nullable String password) {
		if (turn != null) {
			if (user == null || password == null) {
				throw new IllegalArgumentException("--turn needs --turn-user and --turn-password.");
			}
			return TurnCredentials.of(user, password);
		}
		if (user != null || password != null) {
			throw new IllegalArgumentException("--turn-user and --turn-password go with --turn.");
		}
		return null;
	}

}
