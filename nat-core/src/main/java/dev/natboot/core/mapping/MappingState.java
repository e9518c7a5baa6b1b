package dev.natboot.core.mapping;

/**
 * Where a mapping stands.
 */
public enum MappingState {

	/** First attempt under way. */
	PENDING,

	/** The router granted the mapping and its lease has not run out. */
	ACTIVE,

	/** No valid mapping: the last attempt failed and another is scheduled. */
	RETRYING,

	/** Nothing is mapped because the mode is {@code none}. */
	DISABLED,

	/** Being released. */
	RELEASING,

	/** Released, or given up at shutdown. */
	REMOVED

}
