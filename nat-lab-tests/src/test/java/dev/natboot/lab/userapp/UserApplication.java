package dev.natboot.lab.userapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's application, as users write it: the natboot starter on the class path and nothing else of natboot's
 * in the code. Its tests are the user's ordinary ones.
 */
@SpringBootApplication
@RestController
public class UserApplication {

	@GetMapping("/")
	String hello() {
		return "hello from the user's app";
	}

	public static void main(String[] args) {
		SpringApplication.run(UserApplication.class, args);
	}

}
