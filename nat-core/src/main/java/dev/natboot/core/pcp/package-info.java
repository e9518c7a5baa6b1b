/**
 * Port Control Protocol (RFC 6887): typed messages, codec, a blocking connection and an asynchronous client.
 */
@NullMarked
package dev.natboot.core.pcp;

import org.jspecify.annotations.NullMarked;
