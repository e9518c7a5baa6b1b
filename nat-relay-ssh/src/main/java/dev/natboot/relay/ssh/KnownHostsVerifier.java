package dev.natboot.relay.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.jspecify.annotations.Nullable;

import dev.natboot.relay.RelayErrorKind;
import dev.natboot.relay.RelayException;

/**
 * Accepts the relay server's host key only when the known hosts hold it for the server's name and port, as
 * OpenSSH's {@code StrictHostKeyChecking yes} does: no trust on first use, nothing written back. A rejection is
 * kept so that the relay can say which it was (unknown or changed) instead of the SSH layer's "key did not
 * validate".
 */
final class KnownHostsVerifier implements ServerKeyVerifier {

	private static final int MAX_KNOWN_HOSTS_LENGTH = 1 << 20;

	private final List<KnownHostEntry> entries;

	private final String host;

	private final int port;

	private volatile @Nullable RelayException rejection;

	KnownHostsVerifier(String knownHosts, String host, int port) {
		if (knownHosts.length() > MAX_KNOWN_HOSTS_LENGTH) {
			throw new IllegalArgumentException("The relay's known hosts are over 1 MiB: not a known_hosts file");
		}
		try {
			this.entries = KnownHostEntry.readKnownHostEntries(new java.io.BufferedReader(new StringReader(knownHosts)));
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("The relay's known hosts cannot be read as OpenSSH known_hosts lines: "
					+ ex.getMessage(), ex);
		}
		this.host = host;
		this.port = port;
	}

	/** How many entries were read: a file that holds none is a mistake worth naming at startup. */
	int size() {
		return this.entries.size();
	}

	@Override
	public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
		String offered = KeyUtils.getKeyType(serverKey);
		String fingerprint = KeyUtils.getFingerPrint(serverKey);
		List<String> otherTypes = new ArrayList<>();
		boolean sameTypeDiffers = false;
		for (KnownHostEntry entry : this.entries) {
			if (!entry.isHostMatch(this.host, this.port)) {
				continue;
			}
			AuthorizedKeyEntry keyEntry = entry.getKeyEntry();
			if (keyEntry == null) {
				continue;
			}
			String type = keyEntry.getKeyType();
			PublicKey known = resolve(session, keyEntry);
			boolean revoked = "revoked".equals(entry.getMarker());
			if (known != null && KeyUtils.compareKeys(known, serverKey)) {
				if (revoked) {
					this.rejection = new RelayException(RelayErrorKind.HOST_KEY_CHANGED, "The relay server "
							+ where() + " offered host key " + fingerprint + ", which the known hosts mark @revoked");
					return false;
				}
				this.rejection = null;
				return true;
			}
			if (!revoked) {
				if (type.equals(offered)) {
					sameTypeDiffers = true;
				}
				else {
					otherTypes.add(type);
				}
			}
		}
		if (sameTypeDiffers) {
			this.rejection = new RelayException(RelayErrorKind.HOST_KEY_CHANGED, "The relay server " + where()
					+ " offered " + offered + " host key " + fingerprint + ", not the one the known hosts hold for it: "
					+ "nothing was sent to it. If the server's key really changed, replace its line in the known hosts");
		}
		else {
			String also = otherTypes.isEmpty() ? "" : " (the known hosts hold only " + String.join(", ", otherTypes)
					+ " keys for it; this client verifies RSA and ECDSA keys with the JDK alone, Ed25519 needs "
					+ "net.i2p.crypto:eddsa or Bouncy Castle on the class path)";
			this.rejection = new RelayException(RelayErrorKind.HOST_KEY_UNKNOWN, "The relay server " + where()
					+ " offered " + offered + " host key " + fingerprint + ", which is not in the known hosts" + also
					+ ": nothing was sent to it. Add its line (ssh-keyscan -p " + this.port + " " + this.host + ")");
		}
		return false;
	}

	private static @Nullable PublicKey resolve(ClientSession session, AuthorizedKeyEntry keyEntry) {
		try {
			return keyEntry.resolvePublicKey(session, null, PublicKeyEntryResolver.IGNORING);
		}
		catch (IOException | java.security.GeneralSecurityException | RuntimeException ex) {
			return null; // a key type this client cannot read: it cannot match either
		}
	}

	private String where() {
		return this.host + ":" + this.port;
	}

	/** Why the last host key was refused, {@code null} if it was not. */
	@Nullable RelayException rejection() {
		return this.rejection;
	}

}
