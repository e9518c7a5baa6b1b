package dev.natboot.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BindWatcherTests {

	private final List<Integer> reported = new CopyOnWriteArrayList<>();

	@Test
	void reportsThePortOnceWhenItIsBound() {
		AtomicInteger polls = new AtomicInteger();
		BindWatcher.start(() -> (polls.incrementAndGet() < 5) ? -1 : 8080, this.reported::add);
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.reported.isEmpty());
		int pollsWhenReported = polls.get();
		assertThat(this.reported).containsExactly(8080);
		await().pollDelay(Duration.ofMillis(50)).until(() -> true);
		assertThat(polls).hasValue(pollsWhenReported);
	}

	@Test
	void aServerThatCannotTellYetIsAskedAgain() {
		AtomicInteger polls = new AtomicInteger();
		BindWatcher.start(() -> {
			if (polls.incrementAndGet() < 3) {
				throw new NullPointerException("no endpoint yet");
			}
			return 8443;
		}, this.reported::add);
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.reported.isEmpty());
		assertThat(this.reported).containsExactly(8443);
	}

	@Test
	void aStoppedWatcherReportsNothing() throws InterruptedException {
		AtomicInteger polls = new AtomicInteger();
		BindWatcher watcher = BindWatcher.start(() -> {
			polls.incrementAndGet();
			return -1;
		}, this.reported::add);
		await().atMost(Duration.ofSeconds(2)).until(() -> polls.get() > 0);
		watcher.stop();
		Thread.sleep(20);
		int afterStop = polls.get();
		Thread.sleep(50);
		assertThat(polls.get()).isLessThanOrEqualTo(afterStop + 1);
		assertThat(this.reported).isEmpty();
	}

	@Test
	void aStartThatNeverBindsIsLookedAtRarelyAfterTheFirstMoments() throws InterruptedException {
		AtomicInteger polls = new AtomicInteger();
		BindWatcher watcher = BindWatcher.start(() -> {
			polls.incrementAndGet();
			return -1;
		}, this.reported::add);
		Thread.sleep(BindWatcher.FAST_WATCH.toMillis() + 100);
		int afterFastWatch = polls.get();
		Thread.sleep(500);
		watcher.stop();
		// Every 10 ms from then on: about 50 in half a second, where the fast pace would have made 2000.
		assertThat(polls.get() - afterFastWatch).isBetween(1, 100);
		assertThat(this.reported).isEmpty();
	}

}
