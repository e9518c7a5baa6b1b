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

	/** Released: the router confirmed the deletion, or nothing was mapped. */
	REMOVED,

	/**
	 * Given up without the router's confirmation (it failed or did not answer): the mapping may remain on the
	 * router until its lease runs out.
	 */
	ABANDONED

}
