/**
 * Peer-to-peer connections for Spring applications: {@link dev.natboot.spring.ice.IceAgents} creates ICE agents
 * configured from {@code nat.stun.*}, {@code nat.turn.*} and {@code nat.ice.*}, with port-mapped candidates from
 * the application's mapping engine; their outcomes become events and meters.
 */
@NullMarked
package dev.natboot.spring.ice;

import org.jspecify.annotations.NullMarked;
