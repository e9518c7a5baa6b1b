#!/usr/bin/env bash
# Measures in the lab how long the real sample app takes from "web server started" to "mapping confirmed by
# the router", for each kind of router and mode, over several runs; prints a Markdown table with the median,
# min and max. The time is natboot's own measurement, logged in its "is reachable at" line: from the
# WebServerInitializedEvent to the router's success answer.
#
#   sudo scripts/benchmark.sh [RUNS]      (default 7 runs per row)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "benchmark: needs root for the lab; run 'sudo scripts/benchmark.sh'" >&2; exit 1; }
RUNS=${1:-7}

lab/install-deps
[ -f sample-app/target/sample-app.jar ] || ./mvnw -B -q -DskipTests package
lab/natlab cleanup
trap 'lab/natlab cleanup' EXIT

stats() { # reads numbers, prints "median min max"
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}

measure() { # ROUTER MODE
  local router=$1 mode=$2 log protocol="" times=() starts=()
  eval "$(lab/natlab up bench --router "$router")"
  for _ in $(seq 1 "$RUNS"); do
    log=$(mktemp)
    setsid ip netns exec "$NATLAB_NS_LAN" java -jar sample-app/target/sample-app.jar --nat.mode="$mode" \
      >"$log" 2>&1 </dev/null &
    local app=$!
    for _ in $(seq 1 600); do grep -q "is reachable at" "$log" && break; sleep 0.1; done
    local line; line=$(grep -m1 "is reachable at" "$log" || true)
    [ -n "$line" ] || { echo "benchmark: no mapping in run ($router, $mode):" >&2; tail -20 "$log" >&2; }
    protocol=$(sed -nE 's/.*\((PCP|NAT-PMP) via.*/\1/p' <<<"$line")
    times+=("$(sed -nE 's/.*confirmed in ([0-9.]+) ms.*/\1/p' <<<"$line")")
    starts+=("$(sed -nE 's/.*Started SampleApplication in ([0-9.]+) seconds.*/\1/p' "$log")")
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    rm -f "$log"
  done
  lab/natlab down bench
  read -r med min max < <(printf '%s\n' "${times[@]}" | grep . | stats)
  read -r smed _ _ < <(printf '%s\n' "${starts[@]}" | grep . | awk '{print $1 * 1000}' | stats)
  printf '| %s | `%s` | %s | %s | %s | %s | %s | %s |\n' "$router" "$mode" "$protocol" "$med" "$min" "$max" \
    "${#times[@]}" "$smed"
}

echo "Lab benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), $RUNS runs per row"
echo
echo "| router | nat.mode | mapped with | median ms | min ms | max ms | runs | app start median ms |"
echo "|---|---|---|---|---|---|---|---|"
measure pcp any
measure pmp-only any
measure pcp pcp
measure pcp pmp
