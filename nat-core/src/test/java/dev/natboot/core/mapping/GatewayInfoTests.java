package dev.natboot.core.mapping;

import java.net.InetAddress;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayInfoTests {

	@Test
	void anAddressSeenOverIpv6SaysNothingOfTheIpv4Nat() throws Exception {
		GatewayInfo info = new GatewayInfo(null, null, Set.of(), InetAddress.getByName("11.22.33.1"), null, null,
				InetAddress.getByName("2001:db8:1::10"));
		assertThat(info.isStunMismatch()).isFalse();
		assertThat(info.isBehindAnotherNat()).isFalse();
	}

	@Test
	void anotherIpv4AddressIsAnotherNat() throws Exception {
		GatewayInfo info = new GatewayInfo(null, null, Set.of(), InetAddress.getByName("11.22.33.1"), null, null,
				InetAddress.getByName("11.22.40.1"));
		assertThat(info.isStunMismatch()).isTrue();
		assertThat(info.isBehindAnotherNat()).isTrue();
	}

}
