package dev.natboot.core.mapping;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The engine's listeners, told one at a time on the engine's thread. A listener that throws is the listener's
 * problem: the others are still told, the engine goes on, and the failure is logged once per listener and kind
 * of call with its stack trace, later ones at DEBUG, so that a broken listener does not fill the log at every
 * renewal.
 */
final class Listeners {

	private static final System.Logger logger = System.getLogger(MappingEngine.class.getName());

	private final CopyOnWriteArrayList<MappingListener> listeners = new CopyOnWriteArrayList<>();

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	/** Adds a listener, unless it is there already: one told twice would count every event twice. */
	void add(MappingListener listener) {
		this.listeners.addIfAbsent(listener);
	}

	void addAll(List<MappingListener> added) {
		added.forEach(this::add);
	}

	/** Removes a listener. */
	void remove(MappingListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Tells every listener.
	 * @param what the kind of call, for the log
	 * @param call what to tell
	 */
	void tell(String what, Consumer<MappingListener> call) {
		for (MappingListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				String key = System.identityHashCode(listener) + "/" + what;
				if (this.reported.size() < 1000 && this.reported.add(key)) {
					logger.log(Level.WARNING, "Mapping listener " + listener + " failed in " + what
							+ " (logged once; later failures of this listener in " + what + " at DEBUG)", ex);
				}
				else {
					logger.log(Level.DEBUG, () -> "Mapping listener " + listener + " failed in " + what + ": " + ex);
				}
			}
		}
	}

}
