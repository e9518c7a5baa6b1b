package dev.natboot.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of exchanges with the router; a bean of this type replaces
 * {@link DefaultMappingOperationObservationConvention}.
 */
public interface MappingOperationObservationConvention extends ObservationConvention<MappingOperationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof MappingOperationContext;
	}

}
