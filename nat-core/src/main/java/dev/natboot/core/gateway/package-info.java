/**
 * Finding this host's way out: its default IPv4 gateway, its default IPv6 router and the stable IPv6 address
 * a pinhole is opened for. Read from the routing table and the interfaces; nothing is sent.
 */
@NullMarked
package dev.natboot.core.gateway;

import org.jspecify.annotations.NullMarked;
