#!/usr/bin/env bash
# Builds the reference for natboot's startup cost: the sample app without natboot. The same sources and
# dependencies but for the starter itself and the classes that use its API (HelloController answers the same
# greeting without the mappings; NatEventsLog and PeerController, whose endpoints are off by default, go).
# Writes target/baseline-app/target/sample-app.jar.
#
#   scripts/baseline-app.sh [MAVEN-OPTIONS]   (after ./mvnw install, so the parent POM is in the local
#                                             repository; -Paot for AOT processing, as the sample app's)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/baseline-app
rm -rf "$OUT" && mkdir -p "$OUT"
cp -r sample-app/pom.xml sample-app/src "$OUT"/
python3 - "$OUT" <<'PY'
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
pom = out / "pom.xml"
text = pom.read_text()
text = re.sub(r"\s*<dependency>\s*<groupId>dev\.natboot</groupId>\s*<artifactId>nat-spring-boot-starter</artifactId>\s*</dependency>", "", text)
text = text.replace("<artifactId>sample-app</artifactId>", "<artifactId>sample-app-baseline</artifactId>", 1)
text = text.replace("</version>\n  </parent>", "</version>\n    <relativePath>../../pom.xml</relativePath>\n  </parent>", 1)
assert "nat-spring-boot-starter" not in text
pom.write_text(text)
source = out / "src/main/java/dev/natboot/sample"
(source / "NatEventsLog.java").unlink()
(source / "PeerController.java").unlink()
(source / "HelloController.java").write_text('''package dev.natboot.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class HelloController {

	@GetMapping(path = "/", produces = "text/plain")
	String hello() {
		return "Hello from the natboot sample app, behind the NAT.\\nnatboot is absent\\n";
	}

}
''')
PY
grep -rl "dev.natboot.core\|dev.natboot.spring" "$OUT/src" && { echo "baseline-app: natboot still referenced" >&2; exit 1; }
./mvnw -B -q -f "$OUT/pom.xml" -DskipTests package "$@" >&2
echo "$OUT/target/sample-app.jar"
