package dev.natboot.sample;

import java.util.stream.Collectors;

import dev.natboot.core.IpLiteral;
import dev.natboot.core.mapping.Mapping;
import dev.natboot.core.mapping.MappingEngine;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers from behind the NAT, and says how it is reachable.
 */
@RestController
class HelloController {

	private final ObjectProvider<MappingEngine> engine;

	HelloController(ObjectProvider<MappingEngine> engine) {
		this.engine = engine;
	}

	@GetMapping(path = "/", produces = "text/plain")
	String hello() {
		MappingEngine current = this.engine.getIfAvailable();
		String mappings = (current == null) ? "natboot is disabled"
				: current.mappings().stream().map(HelloController::describe).collect(Collectors.joining("\n"));
		return "Hello from the natboot sample app, behind the NAT.\n" + mappings + "\n";
	}

	private static String describe(Mapping mapping) {
		return mapping.name() + ": " + mapping.spec().internalPort() + "/" + mapping.spec().transport() + " "
				+ mapping.state() + ((mapping.externalEndpoint() != null) ? " at "
						+ IpLiteral.endpoint(mapping.externalAddress(), mapping.externalPort()) + " via "
						+ mapping.protocol().displayName() + ", renewed " + mapping.renewals() + " times" : "");
	}

}
