/**
 * Spring application events for what happens to mappings.
 */
@NullMarked
package dev.natboot.spring.event;

import org.jspecify.annotations.NullMarked;
