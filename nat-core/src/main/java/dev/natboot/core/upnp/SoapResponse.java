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
	 * @param arguments output arguments by name, as the router wrote them
	 */
	record Success(Map<String, String> arguments) implements SoapResponse {

		public Success {
			arguments = Map.copyOf(arguments);
		}

		/**
		 * An output argument, by name in any letter case: routers write {@code NewExternalIPAddress},
		 * {@code NewExternalIpAddress} or {@code newexternalipaddress}.
		 * @param name the argument's name as the service defines it
		 * @return its value, {@code null} if the answer has none
		 */
		public @Nullable String argument(String name) {
			String exact = this.arguments.get(name);
			if (exact != null) {
				return exact;
			}
			for (Map.Entry<String, String> argument : this.arguments.entrySet()) {
				if (argument.getKey().equalsIgnoreCase(name)) {
					return argument.getValue();
				}
			}
			return null;
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
