/**
 * The mapping engine: keeps wanted port mappings alive on the gateway, and the port mappers it drives.
 */
@NullMarked
package dev.natboot.core.mapping;

import org.jspecify.annotations.NullMarked;
