#!/usr/bin/env bash
# Runs every test: the codecs and the engine (nat-core), the auto-configuration, and the lab tests that
# start the real sample app behind a real router (miniupnpd behind nftables NAT, in network namespaces).
# Then each parser is fuzzed for 10 s (NATBOOT_FUZZ_SECONDS). The lab needs root: without it the lab tests
# are skipped, visibly; under CI=true they never skip.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then
  lab/install-deps
  lab/natlab cleanup
  trap 'lab/natlab cleanup' EXIT
else
  echo "*** Not root: the lab tests will be SKIPPED. Run 'sudo scripts/test.sh' for the full suite. ***" >&2
fi
./mvnw -B verify -Paot "$@"
# A short coverage-guided fuzz of every parser (the corpora were replayed by verify already).
scripts/fuzz.sh "${NATBOOT_FUZZ_SECONDS:-10}"
