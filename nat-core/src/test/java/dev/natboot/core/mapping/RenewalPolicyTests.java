package dev.natboot.core.mapping;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RenewalPolicyTests {

	private final RenewalPolicy policy = new RenewalPolicy(Duration.ofSeconds(1), Duration.ofMinutes(2));

	@RepeatedTest(50)
	void renewsBetweenHalfAndFiveEighthsOfTheLifetime() {
		long lifetime = Duration.ofSeconds(120).toNanos();
		assertThat(this.policy.renewDelayNanos(Duration.ofSeconds(120))).isBetween(lifetime / 2, lifetime * 5 / 8);
	}

	@Test
	void neverRenewsSoonerThanHalfASecond() {
		assertThat(this.policy.renewDelayNanos(Duration.ofMillis(10))).isEqualTo(RenewalPolicy.MIN_DELAY_NANOS);
	}

	@RepeatedTest(20)
	void backsOffExponentiallyUpToTheCapWithJitter() {
		assertThat(this.policy.retryDelayNanos(1, -1)).isBetween(ms(800), ms(1200));
		assertThat(this.policy.retryDelayNanos(3, -1)).isBetween(ms(3200), ms(4800));
		assertThat(this.policy.retryDelayNanos(30, -1)).isBetween(ms(96_000), ms(144_000));
	}

	@Test
	void retriesWellBeforeAValidLeaseRunsOut() {
		assertThat(this.policy.retryDelayNanos(10, ms(10_000))).isEqualTo(ms(5_000));
		assertThat(this.policy.retryDelayNanos(10, ms(100))).isEqualTo(RenewalPolicy.MIN_DELAY_NANOS);
	}

	@Test
	void rejectsABackoffThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RenewalPolicy(Duration.ZERO, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RenewalPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)));
	}

	private static long ms(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
