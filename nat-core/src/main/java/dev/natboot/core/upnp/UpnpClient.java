package dev.natboot.core.upnp;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.LoopHttpClient;
import dev.natboot.core.io.NatEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * HTTP for UPnP: fetches descriptions and calls SOAP actions over the engine's own {@link LoopHttpClient}.
 * Every answer is size-capped while it streams in and every exchange is bounded in time, so a device that
 * drips or sends an endless body cannot hold the client. Calls to one router go one at a time, in order:
 * many routers mishandle concurrent SOAP requests. Callbacks run on the engine's loop.
 */
public final class UpnpClient implements AutoCloseable {

	private final LoopHttpClient http;

	private final Duration timeout;

	private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

	/**
	 * Creates a client.
	 * @param loop runs the exchanges
	 * @param timeout longest time one HTTP exchange may take, body included
	 */
	public UpnpClient(NatEventLoop loop, Duration timeout) {
		this(loop, timeout, null);
	}

	/**
	 * Creates a client that connects from a local address of the caller's choice.
	 * @param loop runs the exchanges
	 * @param timeout longest time one HTTP exchange may take, body included
	 * @param localAddress the address to connect from, {@code null} for the kernel's choice
	 */
	public UpnpClient(NatEventLoop loop, Duration timeout, @Nullable InetAddress localAddress) {
		this.http = new LoopHttpClient(loop, NatProtocol.UPNP, localAddress);
		this.timeout = timeout;
	}

	/**
	 * Fetches a document, such as a device description.
	 * @param url where
	 * @param maxLength largest body accepted
	 * @return the body
	 */
	public CompletableFuture<byte[]> fetch(URI url, int maxLength) {
		return this.http.send("GET", url, Map.of(), new byte[0], maxLength, this.timeout).thenApply((answer) -> {
			if (answer.status() != 200) {
				throw new CompletionException(new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.UPNP,
						"GET " + url + " answered HTTP " + answer.status()));
			}
			return answer.body();
		});
	}

	/**
	 * Calls a SOAP action, after every call already queued for this router.
	 * @param service the service
	 * @param action the action
	 * @param arguments input arguments in order
	 * @return output arguments or the UPnP fault
	 */
	public synchronized CompletableFuture<SoapResponse> call(IgdService service, String action,
			Map<String, String> arguments) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "text/xml; charset=\"utf-8\"");
		headers.put("SOAPAction", SoapCodec.soapAction(service.serviceType(), action));
		byte[] body = SoapCodec.encodeRequest(service.serviceType(), action, arguments);
		CompletableFuture<SoapResponse> result = this.tail.handle((ignored, failure) -> null)
			.thenCompose((ignored) -> this.http.send("POST", service.controlUrl(), headers, body,
					SoapCodec.MAX_RESPONSE_LENGTH, this.timeout))
			.thenApply((answer) -> {
				if (answer.status() != 200 && answer.status() != 500) {
					throw new CompletionException(new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.UPNP,
							action + " answered HTTP " + answer.status()));
				}
				try {
					return SoapCodec.decodeResponse(answer.body(), action);
				}
				catch (MalformedMessageException ex) {
					throw new CompletionException(new NatException(NatErrorKind.MALFORMED_RESPONSE, NatProtocol.UPNP,
							NatException.NO_ROUTER_CODE, ex.getMessage(), ex));
				}
			});
		this.tail = result;
		return result;
	}

	@Override
	public void close() {
		// Nothing held between calls: each exchange opens and closes its own connection.
	}

}
