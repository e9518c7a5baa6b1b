package dev.natboot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.natboot.core.NatMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for mapping the application's ports on the router.
 */
@ConfigurationProperties("nat")
public class NatProperties {

	/**
	 * Whether to map the application's ports on the router.
	 */
	private boolean enabled = true;

	/**
	 * How to reach the outside world: 'any' (probe PCP, NAT-PMP and UPnP IGD at once and use the best), 'pcp',
	 * 'pmp', 'upnp', 'pcp:GATEWAY', 'pmp:GATEWAY' or 'upnp:GATEWAY' (a router other than the default gateway,
	 * optionally with :PORT), 'extip:ADDRESS' (no router: the port was forwarded by hand to this host) or 'none'.
	 */
	private NatMode mode = NatMode.ANY;

	/**
	 * Lifetime to ask the router for. The router may grant a shorter or longer one; mappings are renewed
	 * before it runs out, and expire by themselves if the application dies.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration lease = Duration.ofMinutes(3);

	/**
	 * Longest time to wait at shutdown for the router to confirm that mappings are released.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(2);

	private final Server server = new Server();

	private final Health health = new Health();

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

	public Server getServer() {
		return this.server;
	}

	public Health getHealth() {
		return this.health;
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

	}

}
