/**
 * Micrometer Observations of the engine's exchanges with the router: a timer and, with tracing, a span each.
 */
@NullMarked
package dev.natboot.spring.observation;

import org.jspecify.annotations.NullMarked;
