package dev.natboot.relay.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jspecify.annotations.Nullable;

/** Reads a user's private key as {@code ssh-keygen} writes it (OpenSSH or PEM format, optionally encrypted). */
public final class SshKeys {

	private static final int MAX_KEY_FILE_LENGTH = 64 * 1024;

	private SshKeys() {
	}

	/**
	 * Reads the key pairs of a private key file.
	 * @param name where it comes from, for messages (a resource location; never the key itself)
	 * @param in its content
	 * @param passphrase its passphrase, {@code null} if it has none
	 * @return its key pairs, at least one
	 * @throws IllegalArgumentException naming the file and what is wrong, never the passphrase
	 */
	public static List<KeyPair> read(String name, InputStream in, @Nullable String passphrase) {
		try {
			byte[] content = in.readNBytes(MAX_KEY_FILE_LENGTH + 1);
			if (content.length > MAX_KEY_FILE_LENGTH) {
				throw new IllegalArgumentException("The private key " + name + " is over 64 KiB: not a key file");
			}
			FilePasswordProvider passwords = (passphrase != null) ? FilePasswordProvider.of(passphrase)
					: FilePasswordProvider.EMPTY;
			Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(name),
					new java.io.ByteArrayInputStream(content), passwords);
			List<KeyPair> keys = new ArrayList<>();
			if (pairs != null) {
				pairs.forEach(keys::add);
			}
			if (keys.isEmpty()) {
				throw new IllegalArgumentException("The private key " + name + " holds no key this client can read "
						+ "(RSA and ECDSA work with the JDK alone; Ed25519 needs net.i2p.crypto:eddsa or Bouncy Castle)");
			}
			return List.copyOf(keys);
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			if (ex instanceof IllegalArgumentException illegal && illegal.getMessage() != null
					&& illegal.getMessage().startsWith("The private key ")) {
				throw illegal;
			}
			String why = (passphrase == null && String.valueOf(ex.getMessage()).toLowerCase(java.util.Locale.ROOT)
				.contains("password")) ? "it is encrypted and no passphrase is set"
						: (passphrase != null) ? "wrong passphrase, or not a private key (" + ex.getClass().getSimpleName() + ")"
								: "not a private key in OpenSSH or PEM format (" + ex.getClass().getSimpleName() + ")";
			throw new IllegalArgumentException("The private key " + name + " cannot be read: " + why);
		}
	}

}
