/**
 * Auto-configuration for natboot.
 */
@NullMarked
package dev.natboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
