/**
 * natboot's command-line tool ({@code natboot-cli.jar}): {@code netcheck}.
 */
@NullMarked
package dev.natboot.cli;

import org.jspecify.annotations.NullMarked;
