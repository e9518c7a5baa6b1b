/**
 * Actuator endpoint for natboot.
 */
@NullMarked
package dev.natboot.spring.endpoint;

import org.jspecify.annotations.NullMarked;
