package dev.natboot.core.upnp;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a SOAP action: output arguments, or a UPnP error.
 */
public sealed interface SoapResponse {

	/**
	 * A successful answer.
	 *
	 * @param arguments output arguments by name
	 */
	record Success(Map<String, String> arguments) implements SoapResponse {

		public Success {
			arguments = Map.copyOf(arguments);
		}

		public @Nullable String argument(String name) {
			return this.arguments.get(name);
		}

	}

	/**
	 * A SOAP fault carrying a UPnP error.
	 *
	 * @param errorCode the UPnP error code, for example 718 (ConflictInMappingEntry); -1 if the fault had none
	 * @param description the router's description
	 */
	record Fault(int errorCode, String description) implements SoapResponse {

	}

}
