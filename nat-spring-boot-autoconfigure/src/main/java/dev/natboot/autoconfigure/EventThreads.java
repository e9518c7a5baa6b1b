package dev.natboot.autoconfigure;

import java.util.concurrent.ThreadFactory;

import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The thread natboot's Spring events are published on: a virtual thread when the application runs on virtual
 * threads ({@code spring.threads.virtual.enabled=true} on Java 21 or later), as Spring Boot's own executors do,
 * a daemon platform thread otherwise.
 */
final class EventThreads {

	static final String NAME = "nat-events";

	private EventThreads() {
	}

	static ThreadFactory forEnvironment(Environment environment) {
		if (Threading.VIRTUAL.isActive(environment)) {
			return new VirtualThreadTaskExecutor(NAME + "-").getVirtualThreadFactory();
		}
		return (task) -> {
			Thread thread = new Thread(task, NAME);
			thread.setDaemon(true);
			return thread;
		};
	}

}
