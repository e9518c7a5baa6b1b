package dev.natboot.bench;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.natboot.relay.RelayListener;
import dev.natboot.relay.RelayState;
import dev.natboot.relay.ssh.SshKeys;
import dev.natboot.relay.ssh.SshRelay;
import dev.natboot.relay.ssh.SshRelayOptions;

/**
 * natboot's SSH relay on its own, for the benchmark: forwards a port on the relay server to a local HTTP server,
 * prints {@code READY <endpoint> <connect ms>} once the forward is proven, and relays until standard input closes.
 * Run only in the lab, against its sshd.
 *
 * <pre>RelayBench HOST USER KEY_FILE KNOWN_HOSTS_FILE LOCAL_PORT REMOTE_PORT</pre>
 */
public final class RelayBench {

	private RelayBench() {
	}

	public static void main(String[] args) throws Exception {
		SshRelayOptions options;
		try (InputStream key = new FileInputStream(args[2])) {
			options = SshRelayOptions.builder(args[0], args[1])
				.keys(SshKeys.read(args[2], key, null))
				.knownHosts(Files.readString(Path.of(args[3])))
				.remotePort(Integer.parseInt(args[5]))
				.build();
		}
		SshRelay relay = new SshRelay(options);
		CountDownLatch connected = new CountDownLatch(1);
		relay.addListener(new RelayListener() {
			@Override
			public void relayConnected(RelayState state) {
				System.out.println("READY " + state.publicEndpoint() + " " + state.connectedIn().toMillis());
				connected.countDown();
			}
		});
		relay.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[4])));
		connected.await();
		while (System.in.read() >= 0) {
			// relaying until the script closes our standard input
		}
		relay.close(Duration.ofSeconds(2));
	}

}
