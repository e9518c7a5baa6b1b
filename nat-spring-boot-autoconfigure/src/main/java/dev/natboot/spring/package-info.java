/**
 * Spring integration of the natboot engine: web server port mapping, lifecycle, logging and failure analysis.
 */
@NullMarked
package dev.natboot.spring;

import org.jspecify.annotations.NullMarked;
