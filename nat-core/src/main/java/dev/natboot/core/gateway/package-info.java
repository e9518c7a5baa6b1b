/**
 * Finding the default IPv4 gateway of this host.
 */
@NullMarked
package dev.natboot.core.gateway;

import org.jspecify.annotations.NullMarked;
