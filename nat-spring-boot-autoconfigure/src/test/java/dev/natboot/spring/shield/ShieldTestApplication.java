package dev.natboot.spring.shield;

import java.net.InetAddress;
import java.util.List;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application with the actuator and natboot, on a real web server bound to loopback. Only 127.0.0.2 is
 * local to it, so that a client on 127.0.0.1 plays the internet.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ShieldTestApplication {

	/** Whatever the test runs on, nothing it sends leaves loopback: extip maps nothing on any router. */
	static final List<String> PROPERTIES = List.of("server.port=0", "server.address=127.0.0.1", "nat.skip.in-tests=false",
			"nat.mode=extip:203.0.113.9", "management.endpoints.web.exposure.include=health,info,nat",
			"spring.main.banner-mode=off");

	@Bean
	LocalNetworks testLocalNetworks() {
		return new LocalNetworks() {

			@Override
			public boolean isLocal(InetAddress address) {
				return address.getHostAddress().equals(RawHttp.LAN);
			}

		};
	}

}
