package dev.natboot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Where an application's start goes, for the startup cost of natboot: runs the sample application (on the class
 * path of its exploded jar) with Spring's {@link BufferingApplicationStartup} and, once it is ready, prints the
 * main thread's time in natboot's own beans (the self time of every bean-instantiation step of a natboot bean,
 * without the beans they pull in) and the CPU time of every thread, from {@code /proc/self/task} (Linux). The
 * wall-clock time to ready on a busy 2-core machine varies by several percent from run to run; these figures
 * say what natboot itself adds. Prints {@code RESULT <name> <value>} lines, then closes the application.
 *
 * <pre>java -cp nat-benchmarks/target/classes:EXPLODED/BOOT-INF/classes:EXPLODED/BOOT-INF/lib/* \
 *     dev.natboot.bench.StartupSteps dev.natboot.sample.SampleApplication [APP-ARGS...]</pre>
 */
public final class StartupSteps {

	private static final String INSTANTIATE = "spring.beans.instantiate";

	/** Clock ticks per second of /proc's utime and stime: 100 on every Linux this runs on. */
	private static final long TICKS_PER_SECOND = 100;

	private StartupSteps() {
	}

	public static void main(String[] args) throws Exception {
		SpringApplication application = new SpringApplication(Class.forName(args[0]));
		BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
		application.setApplicationStartup(startup);
		String[] applicationArgs = new String[args.length - 1];
		System.arraycopy(args, 1, applicationArgs, 0, applicationArgs.length);
		long started = System.nanoTime();
		try (ConfigurableApplicationContext context = application.run(applicationArgs)) {
			double readyMillis = (System.nanoTime() - started) / 1e6;
			Map<String, Long> cpu = threadCpuMillis();
			result("ready-ms", readyMillis);
			StartupTimeline timeline = startup.getBufferedTimeline();
			result("natboot-beans-ms", natbootBeansSelfMillis(timeline));
			result("config-classes-parse-ms", stepMillis(timeline, "spring.context.config-classes.parse"));
			if (Boolean.getBoolean("startup.steps.detail")) {
				natbootBeanSteps(timeline).forEach((name, millis) -> result("bean-ms-" + name, millis));
			}
			cpu.forEach((thread, millis) -> result("cpu-ms-" + thread, millis));
			result("cpu-ms-process", cpu.values().stream().mapToLong(Long::longValue).sum());
		}
	}

	private static double natbootBeansSelfMillis(StartupTimeline timeline) {
		Map<Long, Double> selfMillis = new HashMap<>();
		Map<Long, Boolean> natboot = new HashMap<>();
		for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
			StartupStep step = event.getStartupStep();
			double millis = event.getDuration().toNanos() / 1e6;
			selfMillis.merge(step.getId(), millis, Double::sum);
			Long parent = step.getParentId();
			if (parent != null) {
				selfMillis.merge(parent, -millis, Double::sum);
			}
			natboot.put(step.getId(), INSTANTIATE.equals(step.getName()) && isNatboot(step));
		}
		return selfMillis.entrySet()
			.stream()
			.filter((entry) -> natboot.getOrDefault(entry.getKey(), false))
			.mapToDouble(Map.Entry::getValue)
			.sum();
	}

	private static double stepMillis(StartupTimeline timeline, String name) {
		return timeline.getEvents()
			.stream()
			.filter((event) -> name.equals(event.getStartupStep().getName()))
			.mapToDouble((event) -> event.getDuration().toNanos() / 1e6)
			.sum();
	}

	/** Self time of each natboot bean's instantiation step, by bean name, for a closer look. */
	private static Map<String, Double> natbootBeanSteps(StartupTimeline timeline) {
		Map<Long, Double> selfMillis = new HashMap<>();
		Map<Long, String> names = new HashMap<>();
		for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
			StartupStep step = event.getStartupStep();
			double millis = event.getDuration().toNanos() / 1e6;
			selfMillis.merge(step.getId(), millis, Double::sum);
			if (step.getParentId() != null) {
				selfMillis.merge(step.getParentId(), -millis, Double::sum);
			}
			if (INSTANTIATE.equals(step.getName()) && isNatboot(step)) {
				for (StartupStep.Tag tag : step.getTags()) {
					if ("beanName".equals(tag.getKey())) {
						names.put(step.getId(), tag.getValue().replaceAll("[^A-Za-z0-9.]", "_"));
					}
				}
			}
		}
		Map<String, Double> byName = new TreeMap<>();
		names.forEach((id, name) -> byName.merge(name, selfMillis.get(id), Double::sum));
		return byName;
	}

	private static boolean isNatboot(StartupStep step) {
		for (StartupStep.Tag tag : step.getTags()) {
			String value = tag.getValue();
			if (("beanName".equals(tag.getKey()) && value.startsWith("nat") && !value.equals("natEventsLog"))
					|| ("beanType".equals(tag.getKey()) && value.contains("dev.natboot."))) {
				return true;
			}
		}
		return false;
	}

	/** CPU time of every live thread of this process, by name with digits dropped ("C2 CompilerThre"). */
	private static Map<String, Long> threadCpuMillis() throws IOException {
		Map<String, Long> byName = new TreeMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
					.replaceAll("[#0-9 -]+$", "")
					.replace(' ', '_');
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				// utime and stime: fields 14 and 15 of the whole line, 12 and 13 after the name.
				long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				byName.merge(name, ticks * 1000 / TICKS_PER_SECOND, Long::sum);
			}
		}
		return byName;
	}

	private static void result(String name, double value) {
		System.out.printf("RESULT %s %.1f%n", name, value);
	}

}
