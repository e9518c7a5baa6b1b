package dev.natboot.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatException;
import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import dev.natboot.core.gateway.GatewayDiscovery;
import dev.natboot.core.ice.IceAgent;
import dev.natboot.core.ice.IceAgentBuilder;
import dev.natboot.core.ice.IceConnection;
import dev.natboot.core.ice.IceDescription;
import dev.natboot.core.ice.IceException;
import dev.natboot.core.ice.MappingEnginePortMapper;
import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.stun.StunServer;
import dev.natboot.core.turn.TurnCredentials;
import dev.natboot.core.turn.TurnOptions;
import dev.natboot.core.turn.TurnServer;
import org.jspecify.annotations.Nullable;

/**
 * {@code ice}: prints this side's description (RFC 8839's lines, ending with {@code a=end-of-candidates}), reads
 * the peer's the same way, connects, then sends each line read as a datagram and prints each datagram received.
 * A person pastes the descriptions between two terminals; a script pipes them. Progress goes to standard error.
 */
final class IceCommand {

	/** Exit code when no pair connected. */
	static final int NOT_CONNECTED = 5;

	private final IceOptions options;

	private final BufferedReader in;

	private final PrintStream out;

	private final PrintStream err;

	IceCommand(IceOptions options, BufferedReader in, PrintStream out, PrintStream err) {
		this.options = options;
		this.in = in;
		this.out = out;
		this.err = err;
	}

	int run() throws IOException, InterruptedException {
		MappingEngine engine = null;
		try {
			IceAgentBuilder builder = IceAgent.builder().role(this.options.role()).localAddresses(this.options.addresses())
				.localPort(this.options.port())
				.transports(this.options.transports().toArray(Transport[]::new));
			for (StunServer server : this.options.stun()) {
				try {
					builder.stunServer(server.resolve());
				}
				catch (NatException ex) {
					this.err.println("ice: STUN server " + server + " skipped: " + ex.getMessage());
				}
			}
			TurnServer turn = this.options.turn();
			TurnCredentials credentials = this.options.turnCredentials();
			if (turn != null && credentials != null) {
				builder.turnServer(turn, credentials, TurnOptions.defaults().withTimeout(Duration.ofSeconds(3)));
			}
			if (this.options.map()) {
				engine = MappingEngine.builder().mode(NatMode.ANY).gatewayDiscovery(GatewayDiscovery::defaultGateway)
					.permanentMappingJournal(null).shutdownTimeout(Duration.ofSeconds(2)).threadName("ice-mapping")
					.build();
				engine.discover();
				builder.portMapper(new MappingEnginePortMapper(engine, Duration.ofMinutes(10), Duration.ofSeconds(2)));
			}
			try (IceAgent agent = builder.build()) {
				return connectAndTalk(agent);
			}
		}
		finally {
			if (engine != null) {
				engine.close(Duration.ofSeconds(2));
			}
		}
	}

	private int connectAndTalk(IceAgent agent) throws IOException, InterruptedException {
		long start = System.nanoTime();
		IceDescription mine;
		try {
			mine = agent.gather().get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			this.err.println("ice: gathering failed: " + cause(ex).getMessage());
			return NOT_CONNECTED;
		}
		this.err.printf("ice: %d candidates gathered in %d ms; paste this on the other side:%n",
				mine.candidates().size(), millis(start));
		this.out.print(mine.toSdp());
		this.out.flush();
		this.err.println("ice: paste the other side's description, ending with a=end-of-candidates:");
		String text = readDescription();
		if (text == null) {
			this.err.println("ice: no description read");
			return NatbootCli.USAGE;
		}
		IceDescription theirs;
		try {
			theirs = IceDescription.parse(text);
		}
		catch (MalformedMessageException ex) {
			this.err.println("ice: the other side's description cannot be read: " + ex.getMessage());
			return NatbootCli.USAGE;
		}
		long checking = System.nanoTime();
		IceConnection connection;
		try {
			connection = agent.connect(theirs, this.options.timeout()).get(this.options.timeout().toSeconds() + 5,
					TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			this.err.println("ice: not connected: " + cause(ex).getMessage());
			return NOT_CONNECTED;
		}
		this.err.printf("ice: connected in %d ms (%s), role %s%n", millis(checking), connection.selectedPair(),
				agent.role().name().toLowerCase(java.util.Locale.ROOT));
		this.err.println("ice: lines typed here go to the other side; end with Ctrl-D");
		talk(connection);
		IceException ended = connection.closed().getNow(null);
		return (ended != null && ended.reason() == IceException.Reason.CONSENT_LOST) ? NOT_CONNECTED : 0;
	}

	private void talk(IceConnection connection) throws IOException {
		connection.onReceive((data) -> {
			String line = new String(data, StandardCharsets.UTF_8);
			this.out.println("< " + line);
			this.out.flush();
			if (this.options.echo()) {
				connection.send(("echo:" + line).getBytes(StandardCharsets.UTF_8));
			}
		});
		connection.closed().thenAccept((reason) -> this.err.println("ice: " + reason.getMessage()));
		for (String line = this.in.readLine(); line != null && connection.isOpen(); line = this.in.readLine()) {
			if (!connection.send(line.getBytes(StandardCharsets.UTF_8))) {
				this.err.println("ice: not sent");
			}
		}
	}

	private @Nullable String readDescription() throws IOException {
		StringBuilder text = new StringBuilder();
		int lines = 0;
		for (String line = this.in.readLine(); line != null; line = this.in.readLine()) {
			if (++lines > 200) {
				return null;
			}
			text.append(line).append('\n');
			if (line.strip().equals("a=end-of-candidates")) {
				return text.toString();
			}
		}
		return (lines > 0) ? text.toString() : null;
	}

	private static Throwable cause(Exception ex) {
		Throwable cause = ex;
		while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static long millis(long startNanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
	}

}
