package dev.natboot.sample;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.ice.IceAgent;
import dev.natboot.core.ice.IceConnection;
import dev.natboot.core.ice.IceDescription;
import dev.natboot.core.ice.IceRole;
import dev.natboot.spring.ice.IceAgents;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Two sample apps, each behind its own NAT, connect peer to peer and exchange messages, their ICE descriptions
 * carried over these endpoints (the app's own signalling), as text:
 *
 * <pre>
 * offer  = POST /p2p/{session}/offer                  (app 1: its description)
 * answer = POST /p2p/{session}/answer   body: offer   (app 2: its description; app 2 starts checking)
 *          POST /p2p/{session}/accept   body: answer  (app 1 starts checking)
 *          GET  /p2p/{session}                        (checking, connected PAIR, or failed: REASON)
 *          POST /p2p/{session}/send     body: text    (a datagram to the peer)
 *          GET  /p2p/{session}/messages               (what the peer sent, a line each)
 * offer  = POST /p2p/{session}/restart                (app 1: an ICE restart, its new description)
 * answer = POST /p2p/{session}/restart-answer  body: offer  (app 2 restarts too and checks again)
 *          POST /p2p/{session}/accept   body: answer  (app 1 checks again; the connection moves to the new pair)
 * </pre>
 *
 * Off by default ({@code sample.p2p.enabled=true}): the web server's port is mapped on the router, and these
 * endpoints make the app send checks to whatever addresses a description names. A real application carries the
 * descriptions over signalling it authenticates. At most {@value #MAX_SESSIONS} sessions at once.
 */
@RestController
@ConditionalOnBooleanProperty("sample.p2p.enabled")
class PeerController implements DisposableBean {

	static final int MAX_SESSIONS = 8;

	private static final Pattern SESSION = Pattern.compile("[a-z0-9]{1,16}");

	private final IceAgents agents;

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	PeerController(IceAgents agents) {
		this.agents = agents;
	}

	@PostMapping(path = "/p2p/{session}/offer", produces = "text/plain")
	String offer(@PathVariable String session) {
		return open(session, IceRole.CONTROLLING).agent.gather().join().toSdp();
	}

	@PostMapping(path = "/p2p/{session}/answer", consumes = "text/plain", produces = "text/plain")
	String answer(@PathVariable String session, @RequestBody String offer) {
		IceDescription remote = parse(offer);
		Session opened = open(session, IceRole.CONTROLLED);
		String answer = opened.agent.gather().join().toSdp();
		opened.connect(remote, this.agents);
		return answer;
	}

	@PostMapping(path = "/p2p/{session}/accept", consumes = "text/plain", produces = "text/plain")
	String accept(@PathVariable String session, @RequestBody String answer) {
		session(session).connect(parse(answer), this.agents);
		return "checking\n";
	}

	@PostMapping(path = "/p2p/{session}/restart", produces = "text/plain")
	String restart(@PathVariable String session) {
		return restarted(session(session));
	}

	@PostMapping(path = "/p2p/{session}/restart-answer", consumes = "text/plain", produces = "text/plain")
	String restartAnswer(@PathVariable String session, @RequestBody String offer) {
		IceDescription remote = parse(offer);
		Session restarting = session(session);
		String answer = restarted(restarting);
		restarting.connect(remote, this.agents);
		return answer;
	}

	@GetMapping(path = "/p2p/{session}", produces = "text/plain")
	String state(@PathVariable String session) {
		return session(session).state() + "\n";
	}

	@PostMapping(path = "/p2p/{session}/send", consumes = "text/plain", produces = "text/plain")
	String send(@PathVariable String session, @RequestBody String text) {
		CompletableFuture<IceConnection> connecting = session(session).connection;
		IceConnection connection = (connecting.isDone() && !connecting.isCompletedExceptionally())
				? connecting.join() : null;
		if (connection == null || !connection.isOpen()) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "not connected");
		}
		return connection.send(text.strip().getBytes(StandardCharsets.UTF_8)) ? "sent\n" : "not sent\n";
	}

	@GetMapping(path = "/p2p/{session}/messages", produces = "text/plain")
	String messages(@PathVariable String session) {
		return String.join("\n", session(session).received) + "\n";
	}

	@Override
	public void destroy() {
		this.sessions.values().forEach((session) -> session.agent.close());
	}

	private static String restarted(Session session) {
		try {
			return session.agent.restart().join().toSdp();
		}
		catch (java.util.concurrent.CompletionException ex) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "cannot restart: " + ex.getCause().getMessage());
		}
	}

	private Session open(String name, IceRole role) {
		if (!SESSION.matcher(name).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a session is 1 to 16 lowercase letters or digits");
		}
		if (this.sessions.size() >= MAX_SESSIONS) {
			throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "at most " + MAX_SESSIONS + " sessions");
		}
		Session session = new Session(this.agents.create(role));
		if (this.sessions.putIfAbsent(name, session) != null) {
			session.agent.close();
			throw new ResponseStatusException(HttpStatus.CONFLICT, "session " + name + " exists");
		}
		return session;
	}

	private Session session(String name) {
		Session session = this.sessions.get(name);
		if (session == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no session " + name);
		}
		return session;
	}

	private static IceDescription parse(String text) {
		try {
			return IceDescription.parse(text);
		}
		catch (MalformedMessageException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "not an ICE description: " + ex.getMessage());
		}
	}

	/** One peer-to-peer session: its agent, its connection once made, what the peer sent. */
	private static final class Session {

		final IceAgent agent;

		final CompletableFuture<IceConnection> connection = new CompletableFuture<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		Session(IceAgent agent) {
			this.agent = agent;
		}

		void connect(IceDescription remote, IceAgents agents) {
			if (this.connection.isDone()) {
				// a restart: the same connection moves to the pair it selects
				this.agent.connect(remote, agents.connectTimeout());
				return;
			}
			this.agent.connect(remote, agents.connectTimeout()).whenComplete((established, failure) -> {
				if (established != null) {
					established.onReceive((data) -> {
						if (this.received.size() < 1000) {
							this.received.add(new String(data, StandardCharsets.UTF_8));
						}
					});
					this.connection.complete(established);
				}
				else {
					this.connection.completeExceptionally(failure);
				}
			});
		}

		String state() {
			if (!this.connection.isDone()) {
				return "checking";
			}
			if (this.connection.isCompletedExceptionally()) {
				return "failed: " + this.connection.handle((ok, failure) -> String.valueOf(
						(failure.getCause() != null) ? failure.getCause().getMessage() : failure.getMessage())).join();
			}
			IceConnection established = this.connection.join();
			return (established.isOpen() ? "connected " : "closed ") + established.selectedPair();
		}

	}

}
