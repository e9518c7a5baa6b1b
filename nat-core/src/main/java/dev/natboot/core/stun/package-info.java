/**
 * Session Traversal Utilities for NAT (RFC 8489) and NAT behaviour discovery (RFC 5780): typed messages, codec,
 * a blocking connection, an asynchronous client over UDP and TCP, and the tests that classify a NAT.
 */
@NullMarked
package dev.natboot.core.stun;

import org.jspecify.annotations.NullMarked;
