package dev.natboot.core.stun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.natboot.core.AddressScope;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.Retransmission;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Measures the NAT between this host and a STUN server that has two addresses (RFC 5780 section 4): the mapping
 * behaviour from one socket's public address toward the server's addresses and ports, the filtering behaviour
 * from which CHANGE-REQUEST answers reach a fresh socket, and hairpinning from a third socket. Whatever the
 * server cannot show is reported as unknown, with a note, rather than guessed.
 */
public final class NatBehaviorDiscovery {

	private final NatEventLoop loop;

	private final Retransmission retransmission;

	/**
	 * Prepares a discovery.
	 * @param loop the loop that runs it
	 * @param retransmission the schedule of the first request; later ones are sized from its round trip
	 */
	public NatBehaviorDiscovery(NatEventLoop loop, Retransmission retransmission) {
		this.loop = loop;
		this.retransmission = retransmission;
	}

	/**
	 * Runs every test against a server. Sends a dozen small datagrams to the server's two addresses, and a few to
	 * this host's own public address.
	 * @param server the server's primary address and port
	 * @return the behaviour; completes exceptionally with a {@link NatException} only if the server does not answer
	 * the first Binding request
	 */
	public CompletableFuture<NatBehavior> discover(InetSocketAddress server) {
		Run run;
		try {
			run = new Run(server);
		}
		catch (NatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return run.start().whenComplete((result, failure) -> run.close());
	}

	/**
	 * Whether an address a server named may be sent to: the same kind of address as the server's own (a public
	 * server cannot steer this host toward the LAN or loopback), never multicast or unspecified.
	 */
	static boolean mayContact(InetAddress candidate, InetAddress server) {
		return !candidate.isMulticastAddress() && !candidate.isAnyLocalAddress()
				&& (candidate instanceof Inet4Address) == (server instanceof Inet4Address)
				&& AddressScope.of(candidate) == AddressScope.of(server);
	}

	private final class Run {

		private final InetSocketAddress server;

		private final InetAddress localAddress;

		private final List<StunClient> clients = new ArrayList<>();

		private final List<String> notes = new ArrayList<>();

		private Retransmission probe = NatBehaviorDiscovery.this.retransmission;

		Run(InetSocketAddress server) throws NatException {
			this.server = server;
			this.localAddress = StunClient.localAddressToward(server);
		}

		CompletableFuture<NatBehavior> start() {
			StunClient first;
			try {
				first = open();
			}
			catch (NatException ex) {
				return CompletableFuture.failedFuture(ex);
			}
			return first.binding(this.server, NatBehaviorDiscovery.this.retransmission).thenCompose((answer) -> {
				this.probe = probeSchedule(answer);
				InetSocketAddress mapped = answer.mappedAddress();
				InetSocketAddress other = validOtherAddress(answer);
				boolean noNat = mapped.equals(first.localAddress());
				// The three tests use sockets and transactions of their own, and the filtering and hairpinning tests
				// end by waiting for answers that may never come: run side by side, they cost one such wait, not three.
				CompletableFuture<MappingBehavior> mapping = noNat ? CompletableFuture.completedFuture(MappingBehavior.NO_NAT)
						: mappingBehavior(first, mapped, other);
				CompletableFuture<FilteringBehavior> filtering = filteringBehavior(other, answer);
				CompletableFuture<Hairpinning> hairpinning = hairpinning(first, mapped, noNat, answer);
				return CompletableFuture.allOf(mapping, filtering, hairpinning)
					.thenApply((done) -> new NatBehavior(this.server, first.localAddress(), mapped, other, mapping.join(),
							filtering.join(), hairpinning.join(), this.notes));
			});
		}

		private StunClient open() throws NatException {
			StunClient client = new StunClient(NatBehaviorDiscovery.this.loop, new InetSocketAddress(this.localAddress, 0));
			this.clients.add(client);
			return client;
		}

		/**
		 * Tests after the first may go unanswered by design: wait a few round trips, not the WAN schedule. The
		 * shortest round trip of the answers counts: the first exchange of a cold process is the slowest.
		 */
		private Retransmission probeSchedule(StunResponse... answers) {
			Retransmission base = NatBehaviorDiscovery.this.retransmission;
			long measured = base.initialTimeout().toNanos();
			for (StunResponse answer : answers) {
				if (answer.attempts() == 1) { // a retransmitted request's round trip is ambiguous (Karn)
					measured = Math.min(measured, answer.roundTrip().toNanos());
				}
			}
			Duration initial = Duration.ofNanos(Math.min(Math.max(3 * measured, Duration.ofMillis(50).toNanos()),
					base.initialTimeout().toNanos()));
			Duration longest = Duration.ofSeconds(1);
			return new Retransmission(initial, (longest.compareTo(initial) > 0) ? longest : initial, 4);
		}

		private @Nullable InetSocketAddress validOtherAddress(StunResponse answer) {
			InetSocketAddress origin = answer.message()
				.attribute(StunAttribute.ResponseOrigin.class)
				.map(StunAttribute.ResponseOrigin::address)
				.orElse(null);
			if (origin != null && !origin.equals(answer.source())) {
				this.notes.add("The server says it answered from " + origin + " but the answer came from "
						+ answer.source() + ": the server or something on the way rewrites addresses, so its other "
						+ "address cannot be trusted.");
				return null;
			}
			InetSocketAddress other = answer.message().otherAddress().orElse(null);
			if (other == null) {
				this.notes.add("The server gave no OTHER-ADDRESS: it does not support NAT behaviour discovery "
						+ "(RFC 5780), for example coturn with a single listening address.");
				return null;
			}
			InetAddress otherIp = other.getAddress();
			if (otherIp.equals(this.server.getAddress()) || other.getPort() == this.server.getPort()) {
				this.notes.add("The server's OTHER-ADDRESS " + other + " does not differ from " + this.server
						+ " in both address and port, as the tests need.");
				return null;
			}
			if (!mayContact(otherIp, this.server.getAddress())) {
				this.notes.add("The server's OTHER-ADDRESS " + other + " is not the same kind of address as the "
						+ "server's own; it is not contacted.");
				return null;
			}
			return other;
		}

		/** RFC 5780 section 4.3: the same socket toward the other address, then the other address and port. */
		private CompletableFuture<MappingBehavior> mappingBehavior(StunClient client, InetSocketAddress mapped,
				@Nullable InetSocketAddress other) {
			if (other == null) {
				return CompletableFuture.completedFuture(MappingBehavior.UNKNOWN);
			}
			InetSocketAddress otherAddressSamePort = new InetSocketAddress(other.getAddress(), this.server.getPort());
			return answered(client.binding(otherAddressSamePort, this.probe), otherAddressSamePort)
				.thenCompose((second) -> {
					if (second == null) {
						this.notes.add("The server's other address " + otherAddressSamePort + " did not answer.");
						return CompletableFuture.completedFuture(MappingBehavior.UNKNOWN);
					}
					if (second.mappedAddress().equals(mapped)) {
						return CompletableFuture.completedFuture(MappingBehavior.ENDPOINT_INDEPENDENT);
					}
					return answered(client.binding(other, this.probe), other).thenApply((third) -> {
						if (third == null) {
							this.notes.add("The server's other address and port " + other + " did not answer.");
							return MappingBehavior.UNKNOWN;
						}
						return third.mappedAddress().equals(second.mappedAddress()) ? MappingBehavior.ADDRESS_DEPENDENT
								: MappingBehavior.ADDRESS_AND_PORT_DEPENDENT;
					});
				});
		}

		/**
		 * RFC 5780 section 4.4, from a socket of its own that has talked to the primary address only: the mapping
		 * tests opened the first socket's filter toward the other address.
		 */
		private CompletableFuture<FilteringBehavior> filteringBehavior(@Nullable InetSocketAddress other,
				StunResponse firstAnswer) {
			if (other == null) {
				return CompletableFuture.completedFuture(FilteringBehavior.UNKNOWN);
			}
			StunClient client;
			try {
				client = open();
			}
			catch (NatException ex) {
				this.notes.add("Filtering not tested: " + ex.getMessage());
				return CompletableFuture.completedFuture(FilteringBehavior.UNKNOWN);
			}
			InetSocketAddress otherPort = new InetSocketAddress(this.server.getAddress(), other.getPort());
			return answered(client.binding(this.server, this.probe), this.server).thenCompose((first) -> {
				if (first == null) {
					this.notes.add("Filtering not tested: the server did not answer a second socket.");
					return CompletableFuture.completedFuture(FilteringBehavior.UNKNOWN);
				}
				// Both asked at once: only the client's own requests, all to the primary address, open its filter.
				Retransmission waits = probeSchedule(firstAnswer, first);
				CompletableFuture<@Nullable Boolean> otherPortAnswer = changed(client, false, otherPort, waits);
				return changed(client, true, other, waits).thenCompose((fromOther) -> {
					if (fromOther != null) {
						return CompletableFuture.completedFuture(fromOther ? FilteringBehavior.ENDPOINT_INDEPENDENT
								: FilteringBehavior.UNKNOWN);
					}
					return otherPortAnswer.thenCompose((fromOtherPort) -> {
						if (fromOtherPort != null) {
							return CompletableFuture.completedFuture(fromOtherPort ? FilteringBehavior.ADDRESS_DEPENDENT
									: FilteringBehavior.UNKNOWN);
						}
						// Neither came back: filtering, unless the server went silent meanwhile.
						return answered(client.binding(this.server, this.probe), this.server).thenApply((alive) -> {
							if (alive == null) {
								this.notes.add("The server stopped answering during the filtering tests.");
								return FilteringBehavior.UNKNOWN;
							}
							return FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT;
						});
					});
				});
			});
		}

		/**
		 * Asks the primary address to answer from elsewhere.
		 * @return true if the answer came from where it should, false if from elsewhere (the server ignored the
		 * request: filtering unknown), null if no answer came
		 */
		private CompletableFuture<@Nullable Boolean> changed(StunClient client, boolean changeAddress,
				InetSocketAddress expectedSource, Retransmission waits) {
			return client.binding(this.server, waits, new StunAttribute.ChangeRequest(changeAddress, true))
				.handle((answer, failure) -> {
					if (failure != null) {
						return null;
					}
					if (!answer.source().equals(expectedSource)) {
						this.notes.add("Asked to answer from " + expectedSource + ", the server answered from "
								+ answer.source() + ": it does not honour CHANGE-REQUEST.");
						return false;
					}
					return true;
				});
		}

		/** RFC 5780 section 4.5, with the first socket's filter opened toward the third socket beforehand. */
		private CompletableFuture<Hairpinning> hairpinning(StunClient first, InetSocketAddress mapped, boolean noNat,
				StunResponse firstAnswer) {
			if (noNat) {
				return CompletableFuture.completedFuture(Hairpinning.NOT_APPLICABLE);
			}
			if (!mayContact(mapped.getAddress(), this.server.getAddress())) {
				this.notes.add("Hairpinning not tested: the mapped address " + mapped + " is not one to send to.");
				return CompletableFuture.completedFuture(Hairpinning.UNKNOWN);
			}
			StunClient third;
			try {
				third = open();
			}
			catch (NatException ex) {
				return CompletableFuture.completedFuture(Hairpinning.UNKNOWN);
			}
			return answered(third.binding(this.server, this.probe), this.server).thenCompose((thirdAnswer) -> {
				if (thirdAnswer == null) {
					return CompletableFuture.completedFuture(Hairpinning.UNKNOWN);
				}
				first.sendOnce(thirdAnswer.mappedAddress(), StunMessage.bindingRequest());
				StunMessage request = StunMessage.bindingRequest();
				Retransmission waits = probeSchedule(firstAnswer, thirdAnswer);
				CompletableFuture<StunResponse> arrived = first.awaitRequest(request.transactionId(), waits.worstCase());
				CompletableFuture<StunResponse> sent = third.send(mapped, request, waits);
				return arrived.handle((received, failure) -> {
					sent.cancel(false);
					return (received != null) ? Hairpinning.SUPPORTED : Hairpinning.NOT_SUPPORTED;
				});
			});
		}

		/** The answer if it came from where it was sent, else null (a note says why). */
		private CompletableFuture<@Nullable StunResponse> answered(CompletableFuture<StunResponse> exchange,
				InetSocketAddress expectedSource) {
			return exchange.handle((answer, failure) -> {
				if (failure != null) {
					Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
					if (cause instanceof NatException nat && nat.kind() != NatErrorKind.NO_RESPONSE) {
						this.notes.add(nat.getMessage());
					}
					return null;
				}
				if (!answer.source().equals(expectedSource)) {
					this.notes.add("Asked " + expectedSource + ", the answer came from " + answer.source() + ".");
					return null;
				}
				return answer;
			});
		}

		void close() {
			this.clients.forEach(StunClient::close);
		}

	}


}
