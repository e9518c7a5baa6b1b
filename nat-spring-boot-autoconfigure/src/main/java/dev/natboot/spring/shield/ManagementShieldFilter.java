package dev.natboot.spring.shield;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.natboot.core.IpLiteral;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * The management shield on a servlet web server: answers 404, as for any unknown path, to requests for the
 * actuator's endpoints that come from outside the local networks. It reads the request the container made,
 * beneath any wrapper (Spring's ForwardedHeaderFilter replaces the peer with what a header claims), and runs
 * before every other filter, security included.
 */
public class ManagementShieldFilter implements Filter {

	/** Set by Tomcat's RemoteIpValve when it replaced the peer with what a header named. */
	private static final String TOMCAT_FORWARDED = "org.apache.tomcat.request.forwarded";

	private final ManagementShield shield;

	public ManagementShieldFilter(ManagementShield shield) {
		this.shield = shield;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
				&& refuses(containerRequest(http))) {
			httpResponse.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		chain.doFilter(request, response);
	}

	boolean refuses(HttpServletRequest request) {
		String servletPath = (request.getServletPath() != null) ? request.getServletPath() : "";
		String pathInfo = request.getPathInfo();
		if (this.shield.isRelayed(connection(request))) {
			return this.shield.refusesRelayed(servletPath + ((pathInfo != null) ? pathInfo : ""))
					|| (pathInfo != null && this.shield.refusesRelayed(pathInfo));
		}
		InetAddress peer = peer(request);
		boolean fromConnection = peerIsTheConnections(request);
		List<String> forwarded = forwardedHeaders(request);
		return this.shield.refuses(servletPath + ((pathInfo != null) ? pathInfo : ""), peer, fromConnection, forwarded)
				|| (pathInfo != null && this.shield.refuses(pathInfo, peer, fromConnection, forwarded));
	}

	/** The request as the container made it, before any application wrapper. */
	static HttpServletRequest containerRequest(HttpServletRequest request) {
		ServletRequest current = request;
		int depth = 0;
		while (current instanceof ServletRequestWrapper wrapper && depth++ < 32) {
			current = wrapper.getRequest();
		}
		return (current instanceof HttpServletRequest http) ? http : request;
	}

	/**
	 * The connection's peer; {@code null} (refused) where Tomcat's own forwarded-header support replaced it with
	 * what a header named: Tomcat trusts any sender in its internal proxy ranges, 100.64.0.0/10 among them, which
	 * other customers of a carrier-grade NAT share.
	 */
	static @Nullable InetAddress peer(HttpServletRequest request) {
		return (request.getAttribute(TOMCAT_FORWARDED) != null) ? null : IpLiteral.parse(request.getRemoteAddr());
	}

	/** The connection's peer address and port, as the container got them. */
	static @Nullable InetSocketAddress connection(HttpServletRequest request) {
		InetAddress address = IpLiteral.parse(request.getRemoteAddr());
		return (address != null) ? new InetSocketAddress(address, request.getRemotePort()) : null;
	}

	/** Jetty's forwarded-header support takes a header from anybody: with one present, the peer is not the connection's. */
	static boolean peerIsTheConnections(HttpServletRequest request) {
		return !request.getClass().getName().startsWith("org.eclipse.jetty.");
	}

	static List<String> forwardedHeaders(HttpServletRequest request) {
		List<String> values = new ArrayList<>();
		for (String name : ManagementShield.FORWARDED_HEADERS) {
			values.addAll(Collections.list(request.getHeaders(name)));
		}
		return values;
	}

}
