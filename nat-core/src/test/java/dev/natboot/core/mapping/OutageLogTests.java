package dev.natboot.core.mapping;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.natboot.core.NatMode;
import dev.natboot.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A router gone for long: retries keep going, the log gets a warning, a few reminders and one line when it
 * is back, never one line per retry.
 */
class OutageLogTests {

	private final Logger julLogger = Logger.getLogger(OutageLog.class.getName());

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.INFO.intValue()) {
				OutageLogTests.this.records.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final MappingEngineTests.RecordingListener events = new MappingEngineTests.RecordingListener();

	@BeforeEach
	void capture() {
		this.julLogger.addHandler(this.capture);
	}

	@AfterEach
	void release() {
		this.julLogger.removeHandler(this.capture);
	}

	@Test
	void anOutageIsAWarningAFewRemindersAndOneLineWhenItEnds() throws Exception {
		try (FakeNatRouter router = new FakeNatRouter(true, false)) {
			router.silent = true;
			try (MappingEngine engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP))
				.announcementPort(0)
				.retryBackoff(Duration.ofMillis(20), Duration.ofMillis(40))
				.warningPause(Duration.ofMillis(600))
				.listener(this.events)
				.build()) {
				engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofHours(1), "test"));
				Thread.sleep(1500);
				long failures = this.events.failures.size();
				List<LogRecord> warnings = this.records.stream().filter((r) -> r.getLevel() == Level.WARNING).toList();
				assertThat(failures).isGreaterThanOrEqualTo(6);
				assertThat(warnings).hasSizeBetween(2, 4).hasSizeLessThan((int) failures);
				assertThat(warnings.get(0).getMessage()).contains("'server'", "NO_RESPONSE", "each retry at DEBUG");
				assertThat(warnings.get(1).getMessage()).contains("still failing after", "attempts since");
				router.silent = false;
				await().atMost(Duration.ofSeconds(2)).until(() -> engine.mapping("server").orElseThrow().isActive());
				assertThat(engine.mapping("server").orElseThrow().failingSince()).isNull();
				await().atMost(Duration.ofSeconds(1))
					.until(() -> this.records.stream().anyMatch((r) -> r.getMessage().contains("mapped again after")));
			}
		}
	}

}
