package dev.natboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties for mapping the application's ports on the router. Validated as they are bound: a
 * bad value fails startup with the property's name and where it was set.
 */
@ConfigurationProperties("nat")
public class NatProperties implements Validator {

	/**
	 * Whether to map the application's ports on the router.
	 */
	private boolean enabled = true;

	/**
	 * How to reach the outside world: 'any' (probe PCP, NAT-PMP and UPnP IGD at once and use the best), 'pcp',
	 * 'pmp', 'upnp', 'pcp:GATEWAY', 'pmp:GATEWAY' or 'upnp:GATEWAY' (a router other than the default gateway,
	 * optionally with :PORT), 'extip:ADDRESS' (no router: the port was forwarded by hand to this host), 'stun' or
	 * 'stun:HOST[:PORT]' (no router: forwarded by hand, at the external address a STUN server sees; 'stun' uses
	 * nat.stun.servers) or 'none'.
	 */
	private NatMode mode = NatMode.ANY;

	/**
	 * Lifetime to ask the router for. The router may grant a shorter or longer one; mappings are renewed
	 * before it runs out, and expire by themselves if the application dies. If a duration suffix is not
	 * specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration lease = Duration.ofMinutes(3);

	/**
	 * Interface whose default route leads to the router (nat.interface), for a host with several default routes
	 * (a VPN, several networks) whose right router does not answer first. By default the router of every default
	 * route is probed and the best metric that answers is used.
	 */
	private @Nullable String interfaceName;

	/**
	 * Longest time to wait at shutdown for the router to confirm that mappings are released.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(2);

	/**
	 * Longest time a mapping that the router dropped without a word may go unnoticed. Between renewals, UPnP
	 * mappings are checked with GetSpecificPortMappingEntry (which changes nothing), PCP and NAT-PMP mappings
	 * are renewed (which re-creates what was lost).
	 */
	private Duration verificationInterval = Duration.ofMinutes(1);

	/**
	 * Longest wait between retries while the router does not answer or refuses; the wait starts at one second
	 * and doubles after each failure up to this.
	 */
	private Duration maxRetryInterval = Duration.ofMinutes(2);

	/**
	 * Directory in which every running instance of the application keeps a locked journal of the mappings a
	 * router granted only without a lease (some UPnP routers take no other), so that a later start deletes what
	 * a crash left open. Instances of one application may share it. When not set, '~/.natboot/' followed by
	 * 'spring.application.name'.
	 */
	private @Nullable Path permanentMappingJournal;

	private final Skip skip = new Skip();

	private final Server server = new Server();

	private final Container container = new Container();

	private final Health health = new Health();

	private final Management management = new Management();

	private final Stun stun = new Stun();

	private final Turn turn = new Turn();

	private final Reachability reachability = new Reachability();

	/**
	 * More ports to map, by name, besides the web server's.
	 */
	private final Map<String, PortMapping> mappings = new LinkedHashMap<>();

	@Override
	public boolean supports(Class<?> type) {
		return NatProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		NatPropertiesValidator.validate((NatProperties) target, errors);
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public NatMode getMode() {
		return this.mode;
	}

	public void setMode(NatMode mode) {
		this.mode = mode;
	}

	public @Nullable String getInterface() {
		return this.interfaceName;
	}

	public void setInterface(@Nullable String interfaceName) {
		this.interfaceName = interfaceName;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getVerificationInterval() {
		return this.verificationInterval;
	}

	public void setVerificationInterval(Duration verificationInterval) {
		this.verificationInterval = verificationInterval;
	}

	public Duration getMaxRetryInterval() {
		return this.maxRetryInterval;
	}

	public void setMaxRetryInterval(Duration maxRetryInterval) {
		this.maxRetryInterval = maxRetryInterval;
	}

	public @Nullable Path getPermanentMappingJournal() {
		return this.permanentMappingJournal;
	}

	public void setPermanentMappingJournal(@Nullable Path permanentMappingJournal) {
		this.permanentMappingJournal = permanentMappingJournal;
	}

	public Container getContainer() {
		return this.container;
	}

	public Server getServer() {
		return this.server;
	}

	public Skip getSkip() {
		return this.skip;
	}

	/**
	 * When to stay inert: no socket, no probe, no mapping.
	 */
	public static class Skip {

		/**
		 * Whether to stay inert when running inside a test framework (JUnit, TestNG, Spring's test context),
		 * so that a test never maps ports on the router of whatever machine runs it.
		 */
		private boolean inTests = true;

		public boolean isInTests() {
			return this.inTests;
		}

		public void setInTests(boolean inTests) {
			this.inTests = inTests;
		}

	}

	public Health getHealth() {
		return this.health;
	}

	public Management getManagement() {
		return this.management;
	}

	public Turn getTurn() {
		return this.turn;
	}

	public Reachability getReachability() {
		return this.reachability;
	}

	public Stun getStun() {
		return this.stun;
	}

	/**
	 * Checks with STUN servers: this host's public address as the internet sees it, compared with the router's,
	 * and the NAT's type.
	 */
	public static class Stun {

		/**
		 * Comma-separated list of STUN servers to ask, in order until one answers, as HOST, HOST:PORT or
		 * [IPV6]:PORT (port 3478 when not given). Nothing leaves the LAN unless one is set. Measuring the NAT type
		 * needs a server with two addresses (RFC 5780), such as coturn with two listening addresses.
		 */
		private List<String> servers = new ArrayList<>();

		/**
		 * Transport of the checks. UDP also measures the NAT type; TCP shows the address of TCP connections where
		 * UDP is blocked.
		 */
		private Transport transport = Transport.UDP;

		/**
		 * Time between checks. A change of the router's external address triggers one at once.
		 */
		private Duration checkInterval = Duration.ofMinutes(10);

		/**
		 * Whether UDP checks measure the NAT's mapping and filtering behaviour and hairpinning (RFC 5780): a dozen
		 * small datagrams to the server's two addresses and to this host's own public address.
		 */
		private boolean behaviorDiscovery = true;

		public List<String> getServers() {
			return this.servers;
		}

		public void setServers(List<String> servers) {
			this.servers = servers;
		}

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public boolean isBehaviorDiscovery() {
			return this.behaviorDiscovery;
		}

		public void setBehaviorDiscovery(boolean behaviorDiscovery) {
			this.behaviorDiscovery = behaviorDiscovery;
		}

	}

	public Map<String, PortMapping> getMappings() {
		return this.mappings;
	}

	/**
	 * Mapping of the management server's port, when it runs on a port of its own.
	 */
	/**
	 * An application in a container on a bridge network, whose host masquerades it and publishes its port.
	 */
	public static class Container {

		/**
		 * LAN address of the container host: the address the router sees this application's requests come from.
		 * PCP requests name it as the client address and UPnP mappings as the internal client; NAT-PMP needs
		 * none. Set it with nat.mode naming the router, when the container does not use host networking.
		 */
		private @Nullable String hostAddress;

		/**
		 * Port the container host publishes for the web server (docker run -p PUBLISHED:SERVER), which the router
		 * must forward to. When 0, the web server's own port.
		 */
		private int publishedPort;

		public @Nullable String getHostAddress() {
			return this.hostAddress;
		}

		public void setHostAddress(@Nullable String hostAddress) {
			this.hostAddress = hostAddress;
		}

		public int getPublishedPort() {
			return this.publishedPort;
		}

		public void setPublishedPort(int publishedPort) {
			this.publishedPort = publishedPort;
		}

	}

	public static class Management {

		/**
		 * Whether to map the management server's port. Actuator endpoints are rarely meant for the internet.
		 */
		private boolean enabled;

		/**
		 * External port to ask for. When 0, the same as the management server's port.
		 */
		private int externalPort;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getExternalPort() {
			return this.externalPort;
		}

		public void setExternalPort(int externalPort) {
			this.externalPort = externalPort;
		}

	}

	/**
	 * TURN servers (RFC 8656, RFC 6062) that check the mappings from outside.
	 */
	public static class Turn {

		/**
		 * Comma-separated list of TURN servers, as RFC 7065 URIs: turn:HOST[:PORT][?transport=udp|tcp] or
		 * turns:HOST[:PORT] (TLS). Tried in order until one can check. The checks use TCP relays, so every server is
		 * reached over TCP (turn:) or TLS (turns:) whatever the URI's transport. Nothing is checked unless one is set.
		 */
		private List<String> servers = new ArrayList<>();

		/**
		 * User name of the TURN servers' long-term credentials.
		 */
		private @Nullable String username;

		/**
		 * Password of the TURN servers' long-term credentials. Never logged or shown by natboot.
		 */
		private @Nullable String password;

		public List<String> getServers() {
			return this.servers;
		}

		public void setServers(List<String> servers) {
			this.servers = servers;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * Checks of the mappings from outside, through the TURN servers.
	 */
	public static class Reachability {

		/**
		 * Time between two checks of one TCP mapping. A mapping is also checked as soon as it is created or
		 * changed.
		 */
		private Duration checkInterval = Duration.ofMinutes(10);

		/**
		 * How long each request to a TURN server, and the application's HTTP answer, may take. A connection the
		 * TURN server cannot make is given up on after 30 s by the server itself.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * A port to map besides the web server's.
	 */
	public static class PortMapping {

		/**
		 * Port on this host to map.
		 */
		private @Nullable Integer internalPort;

		/**
		 * External port to ask for. When 0, the same as the internal port. The router may grant another.
		 */
		private int externalPort;

		/**
		 * Transport protocol of the port.
		 */
		private Transport protocol = Transport.TCP;

		/**
		 * Description of the mapping, shown by routers whose protocol carries one. When not set, the mapping's
		 * name.
		 */
		private @Nullable String description;

		/**
		 * Whether the application answers natboot's probes on this UDP port (dev.natboot.core.reachability.UdpProbe),
		 * so that the TURN servers can check it from outside. Other UDP mappings stay unverified.
		 */
		private boolean answersProbes;

		public boolean isAnswersProbes() {
			return this.answersProbes;
		}

		public void setAnswersProbes(boolean answersProbes) {
			this.answersProbes = answersProbes;
		}

		public @Nullable Integer getInternalPort() {
			return this.internalPort;
		}

		public void setInternalPort(@Nullable Integer internalPort) {
			this.internalPort = internalPort;
		}

		public int getExternalPort() {
			return this.externalPort;
		}

		public void setExternalPort(int externalPort) {
			this.externalPort = externalPort;
		}

		public Transport getProtocol() {
			return this.protocol;
		}

		public void setProtocol(Transport protocol) {
			this.protocol = protocol;
		}

		public @Nullable String getDescription() {
			return this.description;
		}

		public void setDescription(@Nullable String description) {
			this.description = description;
		}

	}

	/**
	 * The {@code nat} health indicator.
	 */
	public static class Health {

		/**
		 * Health status when a mapping was lost or the router is behind another NAT. UNKNOWN never takes the
		 * application's health down; set DOWN or OUT_OF_SERVICE to opt in.
		 */
		private String unreachableStatus = "UNKNOWN";

		public String getUnreachableStatus() {
			return this.unreachableStatus;
		}

		public void setUnreachableStatus(String unreachableStatus) {
			this.unreachableStatus = unreachableStatus;
		}

	}

	/**
	 * Mapping of the embedded web server's port.
	 */
	public static class Server {

		/**
		 * Whether to map the embedded web server's port once it is known.
		 */
		private boolean enabled = true;

		/**
		 * External port to ask for. When 0, the same as the server's port. The router may grant another.
		 */
		private int externalPort;

		/**
		 * Description of the mapping, shown by routers whose protocol carries one.
		 */
		private String description = "natboot web server";

		/**
		 * Whether to serve the actuator endpoints to clients outside the local networks when they share the mapped
		 * web server port. By default such requests get a 404: the mapping exposes the application, not its
		 * management.
		 */
		private boolean exposeManagement;

		/**
		 * Whether to open an IPv6 firewall pinhole for the web server's port as well (PCP over IPv6), when this
		 * host has a stable global IPv6 address and a default IPv6 route, nat.mode is any or pcp, and
		 * server.address is not an IPv4 address. The pinhole lets the internet reach the server at that address.
		 */
		private boolean ipv6 = true;

		public boolean isIpv6() {
			return this.ipv6;
		}

		public void setIpv6(boolean ipv6) {
			this.ipv6 = ipv6;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getExternalPort() {
			return this.externalPort;
		}

		public void setExternalPort(int externalPort) {
			this.externalPort = externalPort;
		}

		public String getDescription() {
			return this.description;
		}

		public void setDescription(String description) {
			this.description = description;
		}

		public boolean isExposeManagement() {
			return this.exposeManagement;
		}

		public void setExposeManagement(boolean exposeManagement) {
			this.exposeManagement = exposeManagement;
		}

	}

}
