/**
 * Actuator health for natboot.
 */
@NullMarked
package dev.natboot.spring.health;

import org.jspecify.annotations.NullMarked;
