package dev.natboot.core.mapping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerEpochTests {

	private static final long SECOND = 1_000_000_000L;

	private final ServerEpoch epoch = new ServerEpoch();

	@Test
	void theFirstAnswerAndAClockKeepingPaceAreValid() {
		assertThat(this.epoch.observe(5000, 0)).isTrue();
		assertThat(this.epoch.observe(5060, 60 * SECOND)).isTrue();
		// Two seconds of slack either way, and a sixteenth of the interval for clock drift.
		assertThat(this.epoch.observe(5182, 180 * SECOND)).isTrue();
		assertThat(this.epoch.observe(5478, 480 * SECOND)).isTrue();
	}

	@Test
	void aClockThatWentBackMeansTheRouterRestarted() {
		this.epoch.observe(86_400, 0);
		assertThat(this.epoch.observe(3, 30 * SECOND)).isFalse();
		// The new epoch is the reference from then on.
		assertThat(this.epoch.observe(33, 60 * SECOND)).isTrue();
	}

	@Test
	void aRestartHiddenByAnOutageIsSeenFromThePace() {
		// Router down for ten minutes, then up for 20 s: its clock moved 400 s less than ours.
		this.epoch.observe(1000, 0);
		assertThat(this.epoch.observe(1020, 620 * SECOND)).isFalse();
	}

	@Test
	void aClockRunningFarAheadIsNotTrusted() {
		this.epoch.observe(100, 0);
		assertThat(this.epoch.observe(400, 10 * SECOND)).isFalse();
	}

	@Test
	void oneSecondBackIsJitterNotARestart() {
		this.epoch.observe(100, 0);
		assertThat(this.epoch.observe(99, SECOND / 2)).isTrue();
	}

}
