package dev.natboot.core.mapping;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natboot.core.NatErrorKind;
import dev.natboot.core.NatMode;
import dev.natboot.core.NatProtocol;
import dev.natboot.core.Transport;
import dev.natboot.core.pcp.PcpResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the engine tells listeners about each exchange with the router, which metrics time and count.
 */
class MappingOperationReportTests {

	private final List<MappingOperation> operations = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeEverything() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void reportsCreateRenewAndRemoveWithProtocolTransportAndDuration() throws Exception {
		FakeNatRouter router = router();
		router.maxLifetimeSeconds = 2;
		router.delayMillis = 30;
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(new MappingSpec("game", Transport.UDP, 27015, 0, Duration.ofMinutes(5), "test"));
		await().atMost(Duration.ofSeconds(3)).until(() -> this.operations.size() >= 2);
		assertThat(engine.release(Duration.ofSeconds(2))).isTrue();
		// Requests are retransmitted after 20 ms and answered after 30, so late duplicate answers to the renewal
		// arrive while the deletion waits: they must not pass for its answer.
		assertThat(router.mappings).isEmpty();
		List<MappingOperation> seen = List.copyOf(this.operations);
		assertThat(seen).extracting(MappingOperation::kind)
			.startsWith(MappingOperation.Kind.CREATE, MappingOperation.Kind.RENEW)
			.endsWith(MappingOperation.Kind.REMOVE);
		assertThat(seen).allSatisfy((operation) -> {
			assertThat(operation.mappingName()).isEqualTo("game");
			assertThat(operation.protocol()).isEqualTo(NatProtocol.PCP);
			assertThat(operation.transport()).isEqualTo(Transport.UDP);
			assertThat(operation.succeeded()).isTrue();
			// The router waits 30 ms before each answer; a report of less would be timing something else.
			assertThat(operation.duration()).isBetween(Duration.ofMillis(25), Duration.ofSeconds(1));
		});
	}

	@Test
	void reportsARefusalWithItsTypedCause() throws Exception {
		FakeNatRouter router = router();
		router.pcpRefusal = PcpResultCode.NOT_AUTHORIZED;
		MappingEngine engine = engine(router.mode(NatMode.Kind.PCP));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(5), "test"));
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.operations.isEmpty());
		MappingOperation operation = this.operations.get(0);
		assertThat(operation.kind()).isEqualTo(MappingOperation.Kind.CREATE);
		assertThat(operation.protocol()).isEqualTo(NatProtocol.PCP);
		assertThat(operation.succeeded()).isFalse();
		assertThat(operation.failure().kind()).isEqualTo(NatErrorKind.NOT_AUTHORIZED);
	}

	@Test
	void aRouterThatNeverAnswersIsReportedWithoutAProtocol() throws Exception {
		FakeNatRouter router = router();
		router.silent = true;
		MappingEngine engine = engine(router.mode(NatMode.Kind.ANY));
		engine.add(new MappingSpec("server", Transport.TCP, 8080, 0, Duration.ofMinutes(5), "test"));
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.operations.isEmpty());
		MappingOperation operation = this.operations.get(0);
		assertThat(operation.protocol()).isNull();
		assertThat(operation.failure().kind()).isEqualTo(NatErrorKind.NO_RESPONSE);
	}

	/**
	 * Listeners of the mapping hear of the grant before the report goes out: meters registered for a report cost
	 * more than the router's answer the first time, and delayed the confirmation (and its log line) by 30-150 ms
	 * in the sample app.
	 */
	@Test
	void theGrantIsToldBeforeTheOperationIsReported() throws Exception {
		FakeNatRouter router = router();
		List<String> heard = new CopyOnWriteArrayList<>();
		MappingEngine engine = TestEngines.fastBuilder(router.mode(NatMode.Kind.PCP)).listener(new MappingListener() {
			@Override
			public void mappingCreated(Mapping mapping) {
				heard.add("created, confirmed in " + (mapping.timeToConfirm() != null));
			}

			@Override
			public void operationCompleted(MappingOperation operation) {
				heard.add("reported " + operation.kind());
			}
		}).build();
		this.resources.add(0, engine);
		engine.add(new MappingSpec("game", Transport.UDP, 27015, 0, Duration.ofMinutes(5), "test"));
		await().atMost(Duration.ofSeconds(3)).until(() -> heard.size() >= 2);
		assertThat(heard).startsWith("created, confirmed in true", "reported CREATE");
	}

	private FakeNatRouter router() throws Exception {
		FakeNatRouter router = new FakeNatRouter(true, true);
		this.resources.add(router);
		return router;
	}

	private MappingEngine engine(NatMode mode) {
		MappingEngine engine = TestEngines.fastBuilder(mode).listener(new MappingListener() {
			@Override
			public void operationCompleted(MappingOperation operation) {
				MappingOperationReportTests.this.operations.add(operation);
			}
		}).build();
		this.resources.add(0, engine);
		return engine;
	}

}
