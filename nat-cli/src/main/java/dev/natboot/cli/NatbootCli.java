package dev.natboot.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar natboot-cli.jar COMMAND [OPTIONS]}: natboot's command-line tool. Commands: {@code netcheck},
 * {@code ice}.
 */
public final class NatbootCli {

	/** Exit code of a command line that could not be understood (sysexits' EX_USAGE). */
	static final int USAGE = 64;

	private NatbootCli() {
	}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		return run(args, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, err);
	}

	static int run(String[] args, BufferedReader in, PrintStream out, PrintStream err) {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
			err.println(usage());
			return (args.length == 0) ? USAGE : 0;
		}
		if (args[0].equals("ice")) {
			return ice(Arrays.copyOfRange(args, 1, args.length), in, out, err);
		}
		if (!args[0].equals("netcheck")) {
			err.println("Unknown command '" + args[0] + "'.\n" + usage());
			return USAGE;
		}
		NetcheckOptions options;
		try {
			options = NetcheckOptions.parse(Arrays.copyOfRange(args, 1, args.length));
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage() + "\n" + usage());
			return USAGE;
		}
		NetcheckReport report = new Netcheck(options).run();
		out.println(options.json() ? report.toJson() : report.toText());
		return report.exitCode();
	}

	private static int ice(String[] args, BufferedReader in, PrintStream out, PrintStream err) {
		IceOptions options;
		try {
			options = IceOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage() + "\n" + usage());
			return USAGE;
		}
		try {
			return new IceCommand(options, in, out, err).run();
		}
		catch (IOException ex) {
			err.println("ice: " + ex.getMessage());
			return IceCommand.NOT_CONNECTED;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return IceCommand.NOT_CONNECTED;
		}
	}

	static String usage() {
		return """
				Usage: java -jar natboot-cli.jar netcheck [--json] [--mode MODE] [--gateway ADDRESS]
				           [--stun HOST[:PORT]] [--turn URI --turn-user USER --turn-password PASSWORD] [--port N]

				  Tells what this network allows: the gateway; which of PCP, NAT-PMP and UPnP IGD answer and how
				  fast; the router's external address; what a STUN server sees and the NAT type; double or
				  carrier-grade NAT; and, with a TURN server, whether a test mapping of a temporary TCP port
				  (listened on, mapped, checked from outside, released) is reachable.

				  --mode MODE        the test mapping's nat.mode (default any)
				  --gateway ADDRESS  the router to ask (default: this host's default gateway)
				  --stun HOST[:PORT] a STUN server (port 3478)
				  --turn URI         a TURN server, turn:HOST[:PORT] (reached over TCP)
				  --port N           the test mapping's port (default: any free one)
				  --json             one JSON document instead of text

				Exit codes: 0 reachable from outside (or, without --turn, a router maps); 3 mapped but not
				reachable (another NAT, a filter upstream); 4 no router maps; 5 the check from outside failed;
				64 bad command line.

				Usage: java -jar natboot-cli.jar ice [--controlled] [--stun HOST[:PORT]]... [--address ADDRESS]...
				           [--turn URI --turn-user USER --turn-password PASSWORD] [--port N] [--map]
				           [--tcp | --tcp-only] [--timeout SECONDS] [--echo]

				  Connects to a peer with ICE (RFC 8445): prints this side's description, reads the peer's (paste
				  it, ending with a=end-of-candidates), checks every pair, then sends each line typed as a
				  datagram and prints each one received ("< ..."). Progress goes to standard error.

				  --controlled        start in the controlled role (default controlling; a conflict is settled)
				  --stun HOST[:PORT]  a STUN server for server-reflexive candidates (port 3478)
				  --address ADDRESS   a local address for host candidates (default: every usable one)
				  --port N            the local port (default: any free one)
				  --turn URI          a TURN server for a relayed candidate, turn:HOST[:PORT][?transport=tcp]
				  --map               map the socket on the router (PCP, NAT-PMP or UPnP): a port-mapped candidate
				  --tcp               ICE-TCP candidates (RFC 6544) too: active, passive and simultaneous open
				  --tcp-only          ICE-TCP candidates alone, for networks that block UDP
				  --timeout SECONDS   how long checking may take (default 30)
				  --echo              send back every datagram received, as "echo:..."

				Exit codes: 0 connected and ended; 5 not connected, or consent lost; 64 bad command line.""";
	}

}
