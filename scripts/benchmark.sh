#!/usr/bin/env bash
# Measures in the lab, over several runs, and prints Markdown tables (median, min, max):
# 1. how long the real sample app takes from "web server started" to "mapping confirmed by the router", for
#    each kind of router and mode. The time is natboot's own measurement, logged in its "is reachable at"
#    line: from the WebServerInitializedEvent to the router's success answer;
# 2. UPnP "discover the router + add a mapping" from nothing, natboot's engine against weupnp 0.1.4, in the
#    same lab and run: RUNS fresh JVMs of 5 rounds each; round 1 pays the JVM's cold start, rounds 2-5 do not;
# 3. how long the sample app's first STUN check takes against the lab's coturn (two addresses), with NAT behaviour
#    discovery (RFC 5780) behind each lab NAT and with the address only; natboot's own measurement, logged in its
#    "STUN server ... sees this host" line.
#
#   sudo scripts/benchmark.sh [RUNS]      (default 7 runs per row)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "benchmark: needs root for the lab; run 'sudo scripts/benchmark.sh'" >&2; exit 1; }
RUNS=${1:-7}

lab/install-deps
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl nat-lab-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
BASELINE_CP="nat-lab-tests/target/test-classes:$(cat nat-lab-tests/target/bench.cp)"
lab/natlab cleanup
trap 'lab/natlab cleanup' EXIT

stats() { # reads numbers, prints "median min max"
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}

measure() { # "ROUTER OPTIONS" MODE
  local router=$1 mode=$2 log protocol="" times=() starts=()
  # shellcheck disable=SC2086
  eval "$(lab/natlab up bench --router $router)"
  for _ in $(seq 1 "$RUNS"); do
    log=$(mktemp)
    setsid ip netns exec "$NATLAB_NS_LAN" java -jar sample-app/target/sample-app.jar --nat.mode="$mode" \
      >"$log" 2>&1 </dev/null &
    local app=$!
    for _ in $(seq 1 600); do grep -q "is reachable at" "$log" && break; sleep 0.1; done
    local line; line=$(grep -m1 "is reachable at" "$log" || true)
    [ -n "$line" ] || { echo "benchmark: no mapping in run ($router, $mode):" >&2; tail -20 "$log" >&2; }
    protocol=$(sed -nE 's/.*\((PCP|NAT-PMP|UPnP) via.*/\1/p' <<<"$line")
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

measure_stun() { # NAT DISCOVERY: one row
  local nat=$1 discovery=$2 log times=() type=""
  eval "$(lab/natlab up bench --stun --nat "$nat")"
  for _ in $(seq 1 "$RUNS"); do
    log=$(mktemp)
    setsid ip netns exec "$NATLAB_NS_LAN" java -jar sample-app/target/sample-app.jar --nat.mode=pcp \
      --nat.stun.servers="$NATLAB_WAN_INET" --nat.stun.behavior-discovery="$discovery" >"$log" 2>&1 </dev/null &
    local app=$!
    for _ in $(seq 1 600); do grep -q "sees this host at" "$log" && break; sleep 0.1; done
    local line; line=$(grep -m1 "sees this host at" "$log" || true)
    [ -n "$line" ] || { echo "benchmark: no STUN answer ($nat, discovery $discovery):" >&2; tail -20 "$log" >&2; }
    type=$(sed -nE 's/.*NAT type ([a-z -]+), checked.*/\1/p' <<<"$line")
    times+=("$(sed -nE 's/.*checked in ([0-9]+) ms.*/\1/p' <<<"$line")")
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    rm -f "$log"
  done
  lab/natlab down bench
  read -r med min max < <(printf '%s\n' "${times[@]}" | grep . | stats)
  printf '| `%s` | %s | %s | %s | %s | %s | %s |\n' "$nat" "$discovery" "$type" "$med" "$min" "$max" "${#times[@]}"
}

echo "Lab benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), $RUNS runs per row"
echo
baseline() { # prints one row per library: cold and warm medians
  eval "$(lab/natlab up bench --router upnp-only)"
  local out; out=$(mktemp)
  for _ in $(seq 1 "$RUNS"); do
    for library in natboot weupnp; do
      ip netns exec "$NATLAB_NS_LAN" java -cp "$BASELINE_CP" dev.natboot.lab.UpnpBaseline "$library" 5 \
        "$NATLAB_LAN_ROUTER" | grep '^RESULT' >>"$out"
    done
  done
  lab/natlab down bench
  for library in natboot weupnp; do
    read -r cmed cmin cmax < <(awk -v l="$library" '$2 == l && $3 == 1 { print $4 }' "$out" | stats)
    read -r wmed wmin wmax < <(awk -v l="$library" '$2 == l && $3 > 1 { print $4 }' "$out" | stats)
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$library" "$cmed" "$cmin" "$cmax" "$wmed" "$wmin" "$wmax"
  done
  rm -f "$out"
}

echo "| router | nat.mode | mapped with | median ms | min ms | max ms | runs | app start median ms |"
echo "|---|---|---|---|---|---|---|---|"
measure all any
measure pmp-only any
measure upnp-only any
measure "upnp-only --igd v1" any
measure all pcp
measure all pmp
measure all upnp
echo
echo "UPnP discover + add from nothing (upnp-only router, IGD v2), $RUNS JVMs x 5 rounds:"
echo
echo "| library | cold median ms | cold min | cold max | warm median ms | warm min | warm max |"
echo "|---|---|---|---|---|---|---|"
baseline
echo
echo "First STUN check of the sample app (coturn on the internet host, two addresses):"
echo
echo "| lab NAT | behaviour discovery | NAT type seen | median ms | min ms | max ms | runs |"
echo "|---|---|---|---|---|---|---|"
measure_stun masquerade true
measure_stun random true
measure_stun masquerade false
