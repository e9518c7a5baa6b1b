/**
 * UPnP Internet Gateway Device v1 and v2: SSDP discovery, device descriptions and SOAP control, with typed
 * messages and hardened parsers, and an asynchronous client.
 */
@NullMarked
package dev.natboot.core.upnp;

import org.jspecify.annotations.NullMarked;
