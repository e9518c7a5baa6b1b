package dev.natboot.spring.shield;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 GET from a chosen local address on loopback, so that a test can be "the internet" (127.0.0.1)
 * or "the LAN" (127.0.0.2) to the server, with whatever headers a client or a proxy would send.
 */
final class RawHttp {

	static final String INTERNET = "127.0.0.1";

	static final String LAN = "127.0.0.2";

	private RawHttp() {
	}

	/**
	 * Sends a GET and reads the status line.
	 * @return the status code
	 */
	static int get(String from, int port, String path, String... headers) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder status = new StringBuilder();
			int c;
			while ((c = in.read()) >= 0 && c != '\n') {
				status.append((char) c);
			}
			String[] parts = status.toString().split(" ");
			return Integer.parseInt(parts[1]);
		}
	}

}
