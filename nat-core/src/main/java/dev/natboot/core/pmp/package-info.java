/**
 * NAT Port Mapping Protocol (RFC 6886): typed messages, codec, a blocking connection and an asynchronous client.
 */
@NullMarked
package dev.natboot.core.pmp;

import org.jspecify.annotations.NullMarked;
