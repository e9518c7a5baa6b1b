package dev.natboot.core.upnp;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import dev.natboot.core.MalformedMessageException;
import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatException;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.io.NatEventLoop;

/**
 * HTTP for UPnP: fetches descriptions and calls SOAP actions with the JDK's {@link HttpClient}. Every answer
 * is size-capped while it streams in and every exchange is bounded in time, so a device that drips or sends
 * an endless body cannot hold the client. Calls to one router go one at a time, in order: many routers
 * mishandle concurrent SOAP requests. Callbacks run on the engine's loop.
 */
public final class UpnpClient implements AutoCloseable {

	private final NatEventLoop loop;

	private final HttpClient http;

	private final Duration timeout;

	private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

	/**
	 * Creates a client.
	 * @param loop runs callbacks and timeouts
	 * @param timeout longest time one HTTP exchange may take, body included
	 */
	public UpnpClient(NatEventLoop loop, Duration timeout) {
		this.loop = loop;
		this.timeout = timeout;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.proxy(HttpClient.Builder.NO_PROXY)
			.executor(loop)
			.build();
	}

	/**
	 * Fetches a document, such as a device description.
	 * @param url where
	 * @param maxLength largest body accepted
	 * @return the body
	 */
	public CompletableFuture<byte[]> fetch(URI url, int maxLength) {
		HttpRequest request = HttpRequest.newBuilder(url).timeout(this.timeout).GET().build();
		return exchange(request, maxLength).thenApply((response) -> {
			if (response.statusCode() != 200) {
				throw new CompletionException(new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.UPNP,
						"GET " + url + " answered HTTP " + response.statusCode()));
			}
			return response.body();
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
		HttpRequest request = HttpRequest.newBuilder(service.controlUrl())
			.timeout(this.timeout)
			.header("Content-Type", "text/xml; charset=\"utf-8\"")
			.header("SOAPAction", SoapCodec.soapAction(service.serviceType(), action))
			.POST(HttpRequest.BodyPublishers.ofByteArray(SoapCodec.encodeRequest(service.serviceType(), action, arguments)))
			.build();
		CompletableFuture<SoapResponse> result = this.tail.handle((ignored, failure) -> null)
			.thenCompose((ignored) -> exchange(request, SoapCodec.MAX_RESPONSE_LENGTH))
			.thenApply((response) -> {
				if (response.statusCode() != 200 && response.statusCode() != 500) {
					throw new CompletionException(new NatException(NatErrorKind.PROTOCOL_ERROR, NatProtocol.UPNP,
							action + " answered HTTP " + response.statusCode()));
				}
				try {
					return SoapCodec.decodeResponse(response.body(), action);
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
		// HttpClient has no close() before Java 21; dropping the reference lets its selector thread end.
	}

	private CompletableFuture<HttpResponse<byte[]>> exchange(HttpRequest request, int maxLength) {
		CompletableFuture<HttpResponse<byte[]>> sent = this.http.sendAsync(request,
				(info) -> new CappedBodySubscriber(maxLength));
		NatEventLoop.Timer deadline = this.loop.schedule(() -> sent.cancel(true), this.timeout);
		return sent.handle((response, failure) -> {
			deadline.cancel();
			if (failure != null) {
				throw new CompletionException(translate(request, failure));
			}
			return response;
		});
	}

	private NatException translate(HttpRequest request, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		String what = request.method() + " " + request.uri();
		if (cause instanceof NatException nat) {
			return nat;
		}
		if (cause instanceof java.util.concurrent.CancellationException || cause instanceof HttpTimeoutException) {
			return new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.UPNP,
					what + " did not complete within " + this.timeout.toMillis() + " ms");
		}
		if (cause instanceof ConnectException) {
			return new NatException(NatErrorKind.NO_RESPONSE, NatProtocol.UPNP, NatException.NO_ROUTER_CODE,
					what + ": connection refused", cause);
		}
		return new NatException(NatErrorKind.IO_ERROR, NatProtocol.UPNP, NatException.NO_ROUTER_CODE,
				what + ": " + cause, cause);
	}

	/** Collects a body up to a bound, and gives up on the exchange as soon as it is exceeded. */
	private static final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

		private final int maxLength;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> result = new CompletableFuture<>();

		private Flow.@org.jspecify.annotations.Nullable Subscription subscription;

		CappedBodySubscriber(int maxLength) {
			this.maxLength = maxLength;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.result;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				if (this.body.size() + buffer.remaining() > this.maxLength) {
					java.util.Objects.requireNonNull(this.subscription).cancel();
					this.result.completeExceptionally(new NatException(NatErrorKind.MALFORMED_RESPONSE,
							NatProtocol.UPNP, "Answer exceeds " + this.maxLength + " octets"));
					return;
				}
				byte[] chunk = new byte[buffer.remaining()];
				buffer.get(chunk);
				this.body.writeBytes(chunk);
			}
		}

		@Override
		public void onError(Throwable throwable) {
			this.result.completeExceptionally(throwable);
		}

		@Override
		public void onComplete() {
			this.result.complete(this.body.toByteArray());
		}

	}

}
