#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of every parser that reads what a router, or anything pretending to be
# one, sends: PCP, NAT-PMP, STUN, TURN ChannelData, SSDP, UPnP device descriptions and SOAP answers; and ICE
# descriptions and ICE-TCP streams from a peer. See nat-core's ParserFuzzTests.
#
#   scripts/fuzz.sh [SECONDS] [--keep]
#
# Fuzzes each parser for SECONDS (default 300) in a JVM limited to 512 MB of heap, so that an input that
# makes a parser allocate without bound fails as surely as one that throws or hangs. A finding fails the
# run; Jazzer stores the input under nat-core/src/test/resources/.../ParserFuzzTestsInputs/METHOD, where
# every later 'mvn test' replays it. With --keep, the new inputs that reached new code are copied into the
# repository's corpora as well. scripts/test.sh runs this briefly (10 s per parser).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
keep=${2:-}
targets=(pcpResponse pcpRequest natPmpResponse stunMessage turnChannelData ssdpMessage deviceDescription soapResponse
  iceDescription iceTcpStream)
corpora=nat-core/src/test/resources/dev/natboot/core/fuzz/ParserFuzzTestsInputs
generated=nat-core/.cifuzz-corpus/dev.natboot.core.fuzz.ParserFuzzTests
for target in "${targets[@]}"; do
  echo "== fuzzing $target for ${seconds}s"
  log=$(mktemp)
  status=0
  JAZZER_FUZZ=1 ./mvnw -B -q -pl nat-core test -Dtest="ParserFuzzTests#$target" \
    -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="${seconds}s" -DargLine=-Xmx512m \
    >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+.*DONE|Done [0-9]+ runs)' "$log" || true
  if [ "$status" -ne 0 ]; then
    grep -vE '^INFO: (Loaded|Instrumented)' "$log" | tail -60 >&2
    rm -f "$log"
    echo "fuzzing $target found a problem: see above" >&2
    exit 1
  fi
  rm -f "$log"
  if [ "$keep" = --keep ] && [ -d "$generated/$target" ]; then
    mkdir -p "$corpora/$target"
    cp -n "$generated/$target"/* "$corpora/$target/" 2>/dev/null || true
  fi
done
echo "fuzzing done: ${#targets[@]} parsers, ${seconds}s each"
