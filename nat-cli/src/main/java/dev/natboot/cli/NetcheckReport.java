package dev.natboot.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What {@code netcheck} found, as lines for a person or one JSON document, and the exit code.
 */
final class NetcheckReport {

	static final int REACHABLE = 0;

	static final int FAILED = 1;

	static final int UNREACHABLE = 3;

	static final int NO_ROUTER = 4;

	static final int CHECK_FAILED = 5;

	/** One protocol's answer: whether, how fast, what it said. */
	record Probe(String protocol, boolean answered, double millis, @Nullable String externalAddress,
			@Nullable String detail) {
	}

	@Nullable String gateway;

	final List<Probe> probes = new ArrayList<>();

	@Nullable String externalAddress;

	@Nullable String externalAddressScope;

	@Nullable String stunAddress;

	@Nullable String natType;

	@Nullable String stunDetail;

	boolean behindAnotherNat;

	@Nullable String anotherNatReason;

	@Nullable String testMapping;

	@Nullable String reachability;

	@Nullable String reachabilityDetail;

	@Nullable Double reachabilityMillis;

	String verdict = "";

	int exitCode = FAILED;

	double totalMillis;

	int exitCode() {
		return this.exitCode;
	}

	String toText() {
		StringBuilder text = new StringBuilder();
		line(text, "gateway", (this.gateway != null) ? this.gateway : "none found");
		for (Probe probe : this.probes) {
			line(text, probe.protocol(), probe.answered()
					? String.format("answers (%.1f ms)", probe.millis())
							+ ((probe.externalAddress() != null) ? ", external address " + probe.externalAddress() : "")
							+ ((probe.detail() != null) ? ", " + probe.detail() : "")
					: "no (" + probe.detail() + ")");
		}
		if (this.externalAddress != null) {
			line(text, "external address", this.externalAddress + " (" + this.externalAddressScope + ")");
		}
		if (this.stunAddress != null || this.stunDetail != null) {
			line(text, "STUN", (this.stunAddress != null) ? "sees " + this.stunAddress + ", NAT type " + this.natType
					: "failed: " + this.stunDetail);
		}
		if (this.behindAnotherNat) {
			line(text, "another NAT", this.anotherNatReason);
		}
		if (this.testMapping != null) {
			line(text, "test mapping", this.testMapping);
		}
		if (this.reachability != null) {
			line(text, "from outside", this.reachability + ((this.reachabilityDetail != null) ? ": " + this.reachabilityDetail
					: "") + ((this.reachabilityMillis != null) ? String.format(" (%.0f ms)", this.reachabilityMillis) : ""));
		}
		line(text, "verdict", this.verdict);
		line(text, "took", String.format("%.0f ms", this.totalMillis));
		return text.toString().stripTrailing();
	}

	private static void line(StringBuilder text, String name, @Nullable String value) {
		text.append(String.format("%-17s %s%n", name + ":", value));
	}

	String toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("gateway", this.gateway);
		List<Object> probes = new ArrayList<>();
		for (Probe probe : this.probes) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("protocol", probe.protocol());
			entry.put("answered", probe.answered());
			entry.put("millis", Math.round(probe.millis() * 10) / 10.0);
			entry.put("externalAddress", probe.externalAddress());
			entry.put("detail", probe.detail());
			probes.add(entry);
		}
		json.put("protocols", probes);
		json.put("externalAddress", this.externalAddress);
		json.put("externalAddressScope", this.externalAddressScope);
		json.put("stunAddress", this.stunAddress);
		json.put("natType", this.natType);
		json.put("stunError", this.stunDetail);
		json.put("behindAnotherNat", this.behindAnotherNat);
		json.put("anotherNatReason", this.anotherNatReason);
		json.put("testMapping", this.testMapping);
		json.put("reachability", this.reachability);
		json.put("reachabilityDetail", this.reachabilityDetail);
		json.put("reachabilityMillis", this.reachabilityMillis);
		json.put("verdict", this.verdict);
		json.put("exitCode", this.exitCode);
		json.put("totalMillis", Math.round(this.totalMillis));
		return Json.write(json);
	}

}
