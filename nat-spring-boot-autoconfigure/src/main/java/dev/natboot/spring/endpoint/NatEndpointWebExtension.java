package dev.natboot.spring.endpoint;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Over HTTP, the write operation of {@link NatEndpoint} answers 404 for an unknown mapping, as its read
 * selector does, instead of an empty 204.
 */
@EndpointWebExtension(endpoint = NatEndpoint.class)
public class NatEndpointWebExtension {

	private final NatEndpoint endpoint;

	public NatEndpointWebExtension(NatEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@WriteOperation
	public WebEndpointResponse<NatEndpoint.MappingDescriptor> act(@Selector String name, NatEndpoint.Action action) {
		NatEndpoint.MappingDescriptor mapping = this.endpoint.act(name, action);
		return (mapping != null) ? new WebEndpointResponse<>(mapping)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
