package dev.natboot.core.mapping;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another running instance of the application, in a process of its own: holds its journal file locked, with
 * an entry in it, until its standard input closes.
 */
public final class JournalHolder {

	private JournalHolder() {
	}

	public static void main(String[] args) throws Exception {
		try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			channel.lock();
			channel.write(ByteBuffer.wrap(("+ " + args[1] + "\n").getBytes(StandardCharsets.UTF_8)));
			channel.force(true);
			System.out.println("locked");
			System.out.flush();
			while (System.in.read() >= 0) {
				// until the test lets go
			}
		}
	}

}
