/**
 * Datagram I/O shared by the protocol clients: a single-threaded event loop and request/response exchanges.
 */
@NullMarked
package dev.natboot.core.io;

import org.jspecify.annotations.NullMarked;
