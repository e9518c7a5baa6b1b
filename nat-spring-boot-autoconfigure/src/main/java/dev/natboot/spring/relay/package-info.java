/**
 * The relay fallback's Spring face: its lifecycle, log lines, events, metrics and report for health and the
 * endpoint. Loaded only when {@code nat-relay-ssh} is on the class path.
 */
@NullMarked
package dev.natboot.spring.relay;

import org.jspecify.annotations.NullMarked;
