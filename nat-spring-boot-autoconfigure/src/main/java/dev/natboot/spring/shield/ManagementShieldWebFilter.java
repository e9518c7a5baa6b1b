package dev.natboot.spring.shield;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The management shield on a reactive web server: answers 404, as for any unknown path, to requests for the
 * actuator's endpoints that come from outside the local networks. The peer and headers are read from the
 * server's own request beneath Spring's forwarded-header transformation: on Reactor Netty the connection's peer
 * (which Netty's own forwarded support does not touch), on a servlet container the container's request.
 */
public class ManagementShieldWebFilter implements WebFilter, Ordered {

	private static final boolean NETTY_PRESENT = ClassUtils
		.isPresent("reactor.netty.http.server.HttpServerRequest", ManagementShieldWebFilter.class.getClassLoader());

	private static final boolean SERVLET_PRESENT = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
			ManagementShieldWebFilter.class.getClassLoader());

	private final ManagementShield shield;

	public ManagementShieldWebFilter(ManagementShield shield) {
		this.shield = shield;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (refuses(request)) {
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
		}
		return chain.filter(exchange);
	}

	boolean refuses(ServerHttpRequest request) {
		String path = decodedPath(request.getPath().pathWithinApplication());
		Object server = nativeRequest(request);
		if (NETTY_PRESENT && NettyRequests.isNetty(server)) {
			InetSocketAddress connection = NettyRequests.connection(server);
			if (this.shield.isRelayed(connection)) {
				return this.shield.refusesRelayed(path);
			}
			return this.shield.refuses(path, (connection != null) ? connection.getAddress() : null, true,
					NettyRequests.forwarded(server));
		}
		if (SERVLET_PRESENT && server instanceof jakarta.servlet.http.HttpServletRequest servlet) {
			jakarta.servlet.http.HttpServletRequest container = ManagementShieldFilter.containerRequest(servlet);
			if (this.shield.isRelayed(ManagementShieldFilter.connection(container))) {
				return this.shield.refusesRelayed(path);
			}
			return this.shield.refuses(path, ManagementShieldFilter.peer(container),
					ManagementShieldFilter.peerIsTheConnections(container),
					ManagementShieldFilter.forwardedHeaders(container));
		}
		InetSocketAddress remote = request.getRemoteAddress();
		List<String> forwarded = new ArrayList<>();
		ManagementShield.FORWARDED_HEADERS.forEach((name) -> forwarded.addAll(request.getHeaders().getValuesAsList(name)));
		if (this.shield.isRelayed(remote)) {
			return this.shield.refusesRelayed(path);
		}
		return this.shield.refuses(path, (remote != null) ? remote.getAddress() : null, false, forwarded);
	}

	/** Decoded segment by segment, as request mapping matches them: "/%61ctuator" is "/actuator". */
	static String decodedPath(PathContainer path) {
		StringBuilder decoded = new StringBuilder();
		for (PathContainer.Element element : path.elements()) {
			decoded.append((element instanceof PathContainer.PathSegment segment) ? segment.valueToMatch() : "/");
		}
		return decoded.toString();
	}

	private static Object nativeRequest(ServerHttpRequest request) {
		try {
			return ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException ex) {
			return request;
		}
	}

	/** Before everything else, as the servlet filter is: security must never see what the shield refuses. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** Reactor Netty's request, in a class of its own so that servers without Netty never load its types. */
	static final class NettyRequests {

		private NettyRequests() {
		}

		static boolean isNetty(Object request) {
			return request instanceof reactor.netty.http.server.HttpServerRequest;
		}

		static @Nullable InetSocketAddress connection(Object request) {
			java.net.SocketAddress peer = ((reactor.netty.http.server.HttpServerRequest) request).connectionRemoteAddress();
			return (peer instanceof InetSocketAddress address) ? address : null;
		}

		static List<String> forwarded(Object request) {
			io.netty.handler.codec.http.HttpHeaders headers = ((reactor.netty.http.server.HttpServerRequest) request)
				.requestHeaders();
			List<String> values = new ArrayList<>();
			ManagementShield.FORWARDED_HEADERS.forEach((name) -> values.addAll(headers.getAll(name)));
			return values;
		}

	}

}
