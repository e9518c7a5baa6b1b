package dev.natboot.autoconfigure;

import java.util.List;

import dev.natboot.core.NatMode;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What natboot needs at run time by reflection in a native image, beyond what Spring's AOT processing finds
 * by itself (the properties' binding, the endpoint's operations and their descriptors).
 * <p>
 * {@code nat.mode} is bound by natboot's converter, which needs nothing. Where that converter is not there (the
 * health indicator of an application's own engine with {@code nat.enabled=false}), Spring converts the text with
 * {@link NatMode#of(String)}, found by reflection.
 */
class NatRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(NatMode.class, (type) -> type.withMethod("of", List.of(TypeReference.of(String.class)),
					ExecutableMode.INVOKE));
	}

}
