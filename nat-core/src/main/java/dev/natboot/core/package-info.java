/**
 * Shared types of the natboot core: transports, protocols, typed errors and the mode specification.
 */
@NullMarked
package dev.natboot.core;

import org.jspecify.annotations.NullMarked;
