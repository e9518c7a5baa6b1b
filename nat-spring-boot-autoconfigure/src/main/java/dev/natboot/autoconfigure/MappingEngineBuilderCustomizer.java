package dev.natboot.autoconfigure;

import dev.natboot.core.mapping.MappingEngineBuilder;

/**
 * Callback that customizes the {@link MappingEngineBuilder} of the auto-configured {@code MappingEngine} once
 * the {@code nat.*} properties are applied to it and before the engine is built: a retransmission policy, a
 * gateway found another way, a listener that is not a bean. Beans of this type are applied in
 * {@link org.springframework.core.Ordered order}. An application that defines its own {@code MappingEngine}
 * bean configures it directly; customizers are not applied to it.
 */
@FunctionalInterface
public interface MappingEngineBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, with the {@code nat.*} properties applied
	 */
	void customize(MappingEngineBuilder builder);

}
