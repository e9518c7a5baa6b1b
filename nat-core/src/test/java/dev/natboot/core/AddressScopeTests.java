package dev.natboot.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AddressScopeTests {

	@ParameterizedTest
	@CsvSource({ "11.22.33.1, PUBLIC", "203.0.113.7, PUBLIC", "2001:db8::1, PUBLIC", "192.168.1.1, PRIVATE",
			"10.0.0.1, PRIVATE", "172.31.255.1, PRIVATE", "fd00::1, PRIVATE", "100.64.0.1, SHARED", "100.127.255.254, SHARED",
			"100.128.0.1, PUBLIC", "0.0.0.0, UNSPECIFIED", "127.0.0.1, LOCAL", "169.254.1.1, LOCAL", "fe80::1, LOCAL",
			"router.example, INVALID", "300.1.1.1, INVALID", "'', INVALID" })
	void classifiesWhatRoutersReport(String text, AddressScope scope) {
		assertThat(AddressScope.parse(text)).isEqualTo(scope);
		assertThat(scope.isReachableFromInternet()).isEqualTo(scope == AddressScope.PUBLIC);
	}

}
