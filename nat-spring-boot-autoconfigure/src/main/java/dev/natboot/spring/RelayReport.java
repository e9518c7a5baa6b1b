package dev.natboot.spring;

import dev.natboot.spring.endpoint.RelayDescriptor;

/**
 * The relay as health and the {@code nat} endpoint show it. Its own type, free of the relay module's, so that
 * health and the endpoint work the same with and without {@code nat-relay-ssh} on the class path.
 */
public interface RelayReport {

	/** @return the relay now */
	RelayDescriptor describe();

}
