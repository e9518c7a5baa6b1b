package dev.natboot.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

import dev.natboot.core.NatException;
import dev.natboot.core.Retransmission;
import dev.natboot.core.Transport;
import dev.natboot.core.io.MessageConnection;
import dev.natboot.core.pcp.PcpConnection;
import dev.natboot.core.pcp.PcpMapData;
import dev.natboot.core.pcp.PcpRequest;
import dev.natboot.core.pcp.PcpResponse;
import dev.natboot.core.pcp.PcpResultCode;
import dev.natboot.core.pmp.PmpConnection;
import dev.natboot.core.pmp.PmpMapRequest;
import dev.natboot.core.pmp.PmpMapResponse;
import dev.natboot.core.pmp.PmpRequest;
import dev.natboot.core.pmp.PmpResponse;
import dev.natboot.core.pmp.PmpResultCode;

/**
 * The floor every mapping time is compared with: one bare MAP request and its answer, on one socket, nothing
 * else (no gateway discovery, no engine), so what remains is the router's own time to add a rule plus the
 * network. Several rounds in one JVM: round 1 pays the cold start, later rounds do not. Each mapping is deleted
 * after its round, untimed. Prints {@code RESULT floor-<protocol> <round> <milliseconds>}.
 *
 * <pre>java dev.natboot.bench.RouterFloor pcp|pmp GATEWAY ROUNDS</pre>
 */
public final class RouterFloor {

	private static final SecureRandom random = new SecureRandom();

	private RouterFloor() {
	}

	public static void main(String[] args) throws Exception {
		String protocol = args[0];
		InetSocketAddress router = new InetSocketAddress(InetAddress.getByName(args[1]), 5351);
		int rounds = Integer.parseInt(args[2]);
		for (int round = 1; round <= rounds; round++) {
			int port = 30000 + round;
			long start = System.nanoTime();
			double millis;
			if (protocol.equals("pcp")) {
				try (MessageConnection<PcpRequest, PcpResponse> pcp = PcpConnection.open(router)) {
					byte[] nonce = new byte[PcpMapData.NONCE_LENGTH];
					random.nextBytes(nonce);
					PcpMapData map = new PcpMapData(nonce, Transport.TCP.ianaNumber(), port, port,
							InetAddress.getByName("0.0.0.0"));
					PcpResponse answer = pcp.exchange(PcpRequest.map(pcp.localAddress(), map, 120),
							(response) -> response.data() instanceof PcpMapData data
									&& java.util.Arrays.equals(data.nonce(), nonce),
							Retransmission.LAN);
					millis = (System.nanoTime() - start) / 1e6;
					check(answer.result() == PcpResultCode.SUCCESS, answer);
					pcp.exchange(PcpRequest.map(pcp.localAddress(), map, 0), (response) -> true, Retransmission.LAN);
				}
			}
			else {
				try (MessageConnection<PmpRequest, PmpResponse> pmp = PmpConnection.open(router)) {
					PmpResponse answer = pmp.exchange(new PmpMapRequest(Transport.TCP, port, port, 120),
							(response) -> response instanceof PmpMapResponse map && map.internalPort() == port,
							Retransmission.LAN);
					millis = (System.nanoTime() - start) / 1e6;
					check(((PmpMapResponse) answer).result() == PmpResultCode.SUCCESS, answer);
					pmp.exchange(new PmpMapRequest(Transport.TCP, port, 0, 0), (response) -> true, Retransmission.LAN);
				}
			}
			System.out.printf("RESULT floor-%s %d %.3f%n", protocol, round, millis);
		}
	}

	private static void check(boolean success, Object answer) throws NatException {
		if (!success) {
			throw new IllegalStateException("The router refused: " + answer);
		}
	}

}
