#!/usr/bin/env bash
# Every measurement of docs/benchmarks.md in one run, in the lab (lab/natlab: the real sample app behind a
# real miniupnpd router in network namespaces), each several times:
#  1. mapping: connector listening -> mapping confirmed by the router (natboot's own timer, from its "is
#     reachable at ... confirmed in N ms" line) and `Tomcat started` -> first HTTP 200 from the internet host
#     through it, per protocol and mode, against the same app with its port forwarded by hand on the router (2x RUNS runs: the router alone answers a MAP in 4 to 16 ms from one try to the next); the floor (one bare PCP or NAT-PMP MAP round trip, RouterFloor); the upnpc and natpmpc
#     command-line clients; UPnP discover + add from nothing, natboot against weupnp 0.1.4 (UpnpBaseline);
#  2. cost to the app: time to ready ("Started SampleApplication in N seconds") with the starter, with
#     nat.enabled=false and without natboot (scripts/baseline-app.sh), with a router, a UPnP-only router and
#     none, and AOT-processed with and without natboot (3x RUNS alternating runs each: the figure is a few
#     percent of noisy seconds); where it goes (StartupSteps: natboot's beans on the main thread, each thread's CPU at ready);
#     time to stop (SIGTERM to exit), router present and gone;
#  3. recovery: router daemon started (after a power cycle: stopped, rules flushed) -> HTTP 200 again;
#  4. footprint: threads, retained heap and CPU per renewal with 1, 100 and 1000 mappings (Footprint);
#  5. codec throughput (JMH, CodecBenchmarks) and the first parse in a fresh JVM (FirstParse);
#  6. the first STUN check, against the lab's coturn;
#  7. TURN (allocations beside aioice, checks from outside, netcheck);
#  8. the relay: an HTTP download and a small request through natboot's SSH relay (RelayBench) beside the
#     same through OpenSSH's own client (ssh -R), to the same sshd and the same local HTTP server;
#  9. IPv6 (natlab --ipv6): the IPv4 mapping and the IPv6 pinhole of one start, each from the connector listening
#     to the first HTTP 200 from the internet host over its own family, PCP and UPnP-only routers; the time to
#     ready with the pinhole and without (nat.server.ipv6=false), alternating;
# 10. ICE between two sites (natlab --site2): natboot's agent beside ice4j, aioice and libnice, each against
#     itself on the same pairs of NATs, time to connected, path and failures.
# Raw samples go to docs/benchmark-samples.tsv; scripts/benchmark_report.py turns them into
# docs/benchmark-results.md (median, min, max, and each figure as a ratio against a reference measured in the
# same run) and the charts docs/images/benchmark-*.png.
#
#   sudo scripts/benchmark.sh [RUNS]      (default 7 runs per row)
#   SECTIONS=startup,mapping sudo scripts/benchmark.sh 7     only those sections (mapping, clients, startup,
#        recovery, footprint, codecs, stun, turn, relay, ipv6, ice, ice-tcp,
#        port-prediction), for a quicker look; the report covers what was measured
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "benchmark: needs root for the lab; run 'sudo scripts/benchmark.sh'" >&2; exit 1; }
RUNS=${1:-7}
STARTUP_RUNS=${STARTUP_RUNS:-$((RUNS * 3))}
MAPPING_RUNS=${MAPPING_RUNS:-$((RUNS * 2))}
SAMPLES=docs/benchmark-samples.tsv
LAB=bench

lab/install-deps
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-matplotlib >/dev/null
}
# aioice: the reference TURN client of section 7.
/usr/bin/python3 -c 'import aioice' 2>/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-aioice >/dev/null
}
./mvnw -B -q -Paot -DskipTests install
APP_JAR=sample-app/target/sample-app.jar
BASELINE_JAR=$(scripts/baseline-app.sh -Paot)
./mvnw -B -q -pl nat-benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.cp
BENCH_CP="nat-benchmarks/target/classes:$(cat nat-benchmarks/target/bench.cp)"
EXPLODED=nat-benchmarks/target/sample-app-exploded
rm -rf "$EXPLODED" && mkdir -p "$EXPLODED" && (cd "$EXPLODED" && jar xf ../../../sample-app/target/sample-app.jar)
lab/natlab cleanup
trap 'lab/natlab cleanup' EXIT

sample() { printf "%s\t%s\t%s\n" "$1" "$2" "$3" >> "$SAMPLES.tmp"; }
now_ms() { date +%s%3N; }
log() { echo "benchmark: $*" >&2; }
ALL_SECTIONS=mapping,clients,startup,recovery,footprint,codecs,stun,turn,relay,ipv6,ice,ice-tcp,port-prediction
SECTIONS=${SECTIONS:-$ALL_SECTIONS}
want() { [[ ",$SECTIONS," == *",$1,"* ]]; }
# A partial run reports beside the build, and leaves the published figures in docs/ alone.
if [ "$SECTIONS" != "$ALL_SECTIONS" ]; then mkdir -p target/benchmark; SAMPLES=target/benchmark/benchmark-samples.tsv; fi
printf "section\tlabel\tvalue\n" > "$SAMPLES.tmp"

lab_up() { eval "$(lab/natlab up "$LAB" "$@")"; }
lab_down() { lab/natlab down "$LAB" >/dev/null; }

APP="" LOG=""
start_app() { # ARGS...: the sample app on the LAN host
  start_jar "$APP_JAR" "" "$@"
}
start_jar() { # JAR JVM-OPTIONS ARGS...
  local jar=$1 jvm=$2
  shift 2
  LOG=$(mktemp)
  # shellcheck disable=SC2086 # JVM options are a word list
  setsid ip netns exec "$NATLAB_NS_LAN" java $jvm -jar "$jar" "$@" >"$LOG" 2>&1 </dev/null &
  APP=$!
}
await_log() { # PATTERN SECONDS
  local i
  for ((i = 0; i < $2 * 20; i++)); do
    grep -q "$1" "$LOG" && return 0
    kill -0 "$APP" 2>/dev/null || break
    sleep 0.05
  done
  log "'$1' not in the app's log:"; tail -20 "$LOG" >&2; return 1
}
stop_app() { kill -TERM "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; rm -f "$LOG"; }
log_epoch_ms() { date -d "$(grep -m1 "$1" "$LOG" | cut -d' ' -f1)" +%s%3N; }
started_ms() { sed -nE 's/.*Started SampleApplication in ([0-9.]+) seconds.*/\1/p' "$LOG" | awk '{ print $1 * 1000 }'; }
reach_from_inet() { # OUTFILE [HOST]: first HTTP 200 through the router's external port 8080, epoch ms
  ip netns exec "$NATLAB_NS_INET" python3 scripts/benchmark_reach.py "${2:-$NATLAB_WAN_ROUTER}" 8080 60 >"$1" &
}

# 1. Mapping: the sample app per protocol and mode, with the time until the internet host gets through. Rows on
# the same router alternate in one lab, in a new random order each round, so that drift on the machine hits them
# alike (measured in blocks of their own, `any` and `upnp` on the same UPnP-only router once differed by 56 ms;
# interleaved, by 1.5 ms).
mapping() { # "LABEL|MODE"... -- ROUTER-OPTIONS...
  local rows=() order row label mode reach line web
  while [ "$1" != "--" ]; do rows+=("$1"); shift; done
  shift
  lab_up "$@"
  for _ in $(seq 1 "$MAPPING_RUNS"); do
    mapfile -t order < <(printf '%s\n' "${rows[@]}" | shuf)
    for row in "${order[@]}"; do
      label=${row%|*} mode=${row##*|}
      reach=$(mktemp)
      start_app --nat.mode="$mode"
      reach_from_inet "$reach"
      local poller=$!
      if await_log "is reachable at" 60; then
        line=$(grep -m1 "is reachable at" "$LOG")
        sample mapping "$label" "$(sed -nE 's/.*confirmed in ([0-9.]+) ms.*/\1/p' <<<"$line")"
        if wait "$poller"; then
          web=$(log_epoch_ms "Tomcat started on port")
          sample reachable "$label" "$(($(cat "$reach") - web))"
        fi
      fi
      kill "$poller" 2>/dev/null || true
      stop_app
      rm -f "$reach"
    done
  done
  lab_down
}
# The reference for "reachable": the same app without natboot, its port forwarded by hand on the router (as a
# user does in its web page), in the same run. The difference is what natboot adds once the server listens.
handforward() { # ROUTER-OPTIONS...
  local reach web
  lab_up "$@"
  lab/natlab forward "$LAB" 8080
  for _ in $(seq 1 "$MAPPING_RUNS"); do
    reach=$(mktemp)
    start_app --nat.enabled=false
    reach_from_inet "$reach"
    local poller=$!
    if await_log "Tomcat started on port" 60 && wait "$poller"; then
      web=$(log_epoch_ms "Tomcat started on port")
      sample reachable "hand-made forward" "$(($(cat "$reach") - web))"
    fi
    kill "$poller" 2>/dev/null || true
    stop_app
    rm -f "$reach"
  done
  lab_down
}
if want mapping; then
log "1. mapping"
handforward --router none
mapping "PCP|pcp" "NAT-PMP|pmp" "any, PCP router|any" -- --router all
mapping "any, NAT-PMP-only router|any" -- --router pmp-only
mapping "UPnP IGD v2|upnp" "any, UPnP-only router|any" -- --router upnp-only
mapping "UPnP IGD v1|upnp" -- --router upnp-only --igd v1
fi

if want clients; then
log "1. floor, command-line clients, weupnp"
lab_up --router all
for protocol in pcp pmp; do
  for _ in $(seq 1 "$RUNS"); do
    ip netns exec "$NATLAB_NS_LAN" java -cp "$BENCH_CP" dev.natboot.bench.RouterFloor "$protocol" \
      "$NATLAB_LAN_ROUTER" 5 | awk -v p="$protocol" '$1 == "RESULT" {
        name = (p == "pcp") ? "PCP" : "NAT-PMP"
        print "floor\t" name " MAP round trip" ($3 == 1 ? ", first in a JVM" : "") "\t" $4 }' >> "$SAMPLES.tmp"
  done
done
for run in $(seq 1 "$RUNS"); do
  port=$((31000 + run))
  t0=$(now_ms)
  ip netns exec "$NATLAB_NS_LAN" natpmpc -g "$NATLAB_LAN_ROUTER" -a "$port" "$port" tcp 120 >/dev/null
  sample cli "natpmpc -a" "$(($(now_ms) - t0))"
  ip netns exec "$NATLAB_NS_LAN" natpmpc -g "$NATLAB_LAN_ROUTER" -a "$port" "$port" tcp 0 >/dev/null || true
  t0=$(now_ms)
  ip netns exec "$NATLAB_NS_LAN" upnpc -e bench -r "$port" tcp >/dev/null
  sample cli "upnpc -r (discover + add)" "$(($(now_ms) - t0))"
  ip netns exec "$NATLAB_NS_LAN" upnpc -d "$port" tcp >/dev/null || true
  t0=$(now_ms)
  ip netns exec "$NATLAB_NS_LAN" upnpc -u "$NATLAB_UPNP_URL" -e bench -r "$port" tcp >/dev/null
  sample cli "upnpc -u URL -r (add)" "$(($(now_ms) - t0))"
  ip netns exec "$NATLAB_NS_LAN" upnpc -u "$NATLAB_UPNP_URL" -d "$port" tcp >/dev/null || true
done
lab_down
lab_up --router upnp-only
for _ in $(seq 1 "$RUNS"); do
  for library in natboot weupnp; do
    ip netns exec "$NATLAB_NS_LAN" java -cp "$BENCH_CP" dev.natboot.bench.UpnpBaseline "$library" 5 \
      "$NATLAB_LAN_ROUTER" | awk '$1 == "RESULT" {
        print "upnp-from-nothing\t" $2 ($3 == 1 ? ", first in a JVM" : "") "\t" $4 }' >> "$SAMPLES.tmp"
  done
done
lab_down
fi

# 2. Cost to the app: the variants alternate, so that drift on the machine hits all alike, in a new random order
# each round, so that none always follows the same one (a run that follows another variant's can be slower).
if want startup; then
log "2. startup and stop"
# Variants: LABEL|JAR|JVM-OPTIONS|APP-ARGUMENTS. "without natboot" is the same app built without the
# starter (scripts/baseline-app.sh); the AOT rows run both jars with -Dspring.aot.enabled=true.
startup_variants() { # ROUTER
  echo "nat.enabled=true|$APP_JAR||"
  echo "nat.enabled=false|$APP_JAR||--nat.enabled=false"
  echo "without natboot|$BASELINE_JAR||"
  if [ "$1" = all ]; then
    echo "AOT, nat.enabled=true|$APP_JAR|-Dspring.aot.enabled=true|"
    echo "AOT, without natboot|$BASELINE_JAR|-Dspring.aot.enabled=true|"
  fi
}
for router in all upnp-only none; do
  lab_up --router "$router"
  case "$router" in all) presence="router present" ;; upnp-only) presence="UPnP-only router" ;; *) presence="no router" ;; esac
  for _ in $(seq 1 "$STARTUP_RUNS"); do
    while IFS='|' read -r variant jar jvm args; do
      # shellcheck disable=SC2086 # options and arguments are word lists
      start_jar "$jar" "$jvm" $args
      await_log "Started SampleApplication" 60 || { stop_app; continue; }
      sample startup "$variant, $presence" "$(started_ms)"
      mapped=$([[ "$variant" == *"nat.enabled=true"* ]] && echo yes || echo no)
      if [ "$mapped" = yes ] && [ "$router" != none ]; then await_log "is reachable at" 30 || true; fi
      if [ "$mapped" = yes ]; then
        sample engine-cpu "$variant, $presence" \
          "$(jcmd "$APP" Thread.print 2>/dev/null | sed -nE 's/^"nat-engine".* cpu=([0-9.]+)ms.*/\1/p')"
      fi
      sleep 0.5
      t0=$(now_ms)
      stop_app
      sample stop "$variant, $presence" "$(($(now_ms) - t0))"
    done < <(startup_variants "$router" | shuf)
  done
  lab_down
done
# Where the cost goes, with the router present: natboot's beans on the main thread, and each thread's CPU.
lab_up --router all
for _ in $(seq 1 "$RUNS"); do
  for variant in "nat.enabled=true" "nat.enabled=false"; do
    ip netns exec "$NATLAB_NS_LAN" java -cp "nat-benchmarks/target/classes:$EXPLODED/BOOT-INF/classes:$EXPLODED/BOOT-INF/lib/*" \
      dev.natboot.bench.StartupSteps dev.natboot.sample.SampleApplication --"$variant" 2>/dev/null | awk -v v="$variant" '
        $1 != "RESULT" { next }
        $2 == "natboot-beans-ms" && v == "nat.enabled=true" { print "startup-steps\tnatboot beans, main thread\t" $3 }
        $2 == "cpu-ms-java" { print "startup-steps\tmain thread CPU, " v "\t" $3 }
        $2 == "cpu-ms-nat-engine" { print "startup-steps\tnat-engine thread CPU, " v "\t" $3 }
        $2 ~ /^cpu-ms-C[12]_/ { jit += $3 }
        $2 == "cpu-ms-process" { print "startup-steps\tlive threads CPU, " v "\t" $3 }
        END { print "startup-steps\tJIT compiler threads CPU, " v "\t" jit }' >> "$SAMPLES.tmp"
  done
done
for _ in $(seq 1 "$RUNS"); do
  start_app
  await_log "is reachable at" 60 || { stop_app; continue; }
  lab/natlab router "$LAB" stop
  t0=$(now_ms)
  stop_app
  sample stop "nat.enabled=true, router daemon gone" "$(($(now_ms) - t0))"
  lab/natlab router "$LAB" start
  # A router that vanished without a word (its LAN link down): the release waits for nat.shutdown-timeout.
  start_app
  await_log "is reachable at" 60 || { stop_app; continue; }
  lab/natlab router "$LAB" lan-down
  t0=$(now_ms)
  stop_app
  sample stop "nat.enabled=true, router unreachable (shutdown-timeout 2 s)" "$(($(now_ms) - t0))"
  lab/natlab router "$LAB" lan-up
done
lab_down
fi

# 3. Recovery: a power-cycled router (daemon stopped, its rules flushed), from the daemon's start.
recovery() { # LABEL MODE ROUTER-OPTIONS...
  local label=$1 mode=$2 reach
  shift 2
  lab_up "$@"
  start_app --nat.mode="$mode"
  await_log "is reachable at" 60
  for _ in $(seq 1 "$RUNS"); do
    lab/natlab router "$LAB" stop
    lab/natlab router "$LAB" flush
    sleep 1
    reach=$(mktemp)
    t0=$(now_ms)
    reach_from_inet "$reach"
    local poller=$!
    lab/natlab router "$LAB" start
    sample recovery "router daemon ready ($label router)" "$(($(now_ms) - t0))"
    if wait "$poller"; then sample recovery "$label" "$(($(cat "$reach") - t0))"; else log "not reachable again ($label)"; fi
    rm -f "$reach"
    sleep 2
  done
  stop_app
  lab_down
}
if want recovery; then
log "3. recovery"
recovery "PCP" pcp --router all
recovery "NAT-PMP" pmp --router all
recovery "UPnP" upnp --router upnp-only
fi

# 4. Footprint: the engine alone, against a PCP responder on the LAN host's loopback (see Footprint).
if want footprint; then
log "4. footprint"
lab_up --router none
for mappings in 1 100 1000; do
  ip netns exec "$NATLAB_NS_LAN" java -cp "$BENCH_CP" dev.natboot.bench.Footprint "$mappings" 20 60 \
    | awk '$1 == "RESULT" { print "footprint\t" $2 " " $3 "\t" $4 }' >> "$SAMPLES.tmp"
done
lab_down
fi

# 5. Codecs: no network at all.
if want codecs; then
log "5. codecs (JMH)"
jmh=$(mktemp)
java -cp "$BENCH_CP" org.openjdk.jmh.Main CodecBenchmarks -rf json -rff "$jmh" >/dev/null
python3 - "$jmh" >> "$SAMPLES.tmp" <<'EOF'
import json, sys
for result in json.load(open(sys.argv[1])):
    name = result["benchmark"].rsplit(".", 1)[1]
    for fork in result["primaryMetric"]["rawData"]:
        for value in fork:
            print(f"codec\t{name}\t{value:.2f}")
EOF
rm -f "$jmh"
# The first reading in a fresh JVM, what a UPnP router costs an app's start: nat-core's reader and the JDK's DOM
# parser it replaced, alternating (see FirstParse).
for _ in $(seq 1 "${FIRST_PARSE_RUNS:-11}"); do
  for reader in natboot jdk-dom; do
    label=$([ "$reader" = natboot ] && echo "nat-core's reader, description and SOAP answer parsed" \
      || echo "JDK DOM parser (hardened), the same two documents read")
    java -cp "$BENCH_CP" dev.natboot.bench.FirstParse "$reader" | awk -v label="$label" '
      $1 == "RESULT" && $2 == "cpu-ms" { print "first-parse\t" label "\t" $3 }
      $1 == "RESULT" && $2 == "classes" { print "first-parse-classes\t" label "\t" $3 }' >> "$SAMPLES.tmp"
  done
done
fi

# 6. STUN: the sample app's first check against coturn with two addresses.
stun() { # LABEL NAT DISCOVERY
  local line
  lab_up --stun --nat "$2"
  for _ in $(seq 1 "$RUNS"); do
    start_app --nat.mode=pcp --nat.stun.servers="$NATLAB_WAN_INET" --nat.stun.behavior-discovery="$3"
    if await_log "sees this host at" 60; then
      line=$(grep -m1 "sees this host at" "$LOG")
      sample stun "$1, $(sed -nE 's/.*NAT type ([a-z -]+), checked.*/\1/p' <<<"$line")" \
        "$(sed -nE 's/.*checked in ([0-9]+) ms.*/\1/p' <<<"$line")"
    fi
    stop_app
  done
  lab_down
}
if want stun; then
log "6. STUN"
stun "masquerade, behaviour discovery" masquerade true
stun "masquerade random, behaviour discovery" random true
stun "masquerade, address only" masquerade false
fi

# 7. TURN against coturn: nat-core's allocations beside aioice's; checks from outside (warm, in one JVM); the
# sample app's first check, from the "mapped on the router" line to the "verified reachable" one; netcheck with
# every protocol, STUN and TURN, beside upnpc -s and natpmpc one after the other (each says less).
if want turn; then
log "7. TURN"
lab_up --stun
lab/natlab forward "$LAB" 8081 >/dev/null
ip netns exec "$NATLAB_NS_LAN" /usr/bin/python3 -m http.server 8081 --bind "$NATLAB_LAN_HOST" >/dev/null 2>&1 &
http_pid=$!
sleep 1
for _ in $(seq 1 "$RUNS"); do
  ip netns exec "$NATLAB_NS_LAN" java -cp "$BENCH_CP" dev.natboot.bench.TurnBench "$NATLAB_WAN_INET" natlab natlab 5 \
    "$NATLAB_WAN_ROUTER" 8081 | sed -nE 's/^RESULT (.*)\t(.*)$/turn\t\1\t\2/p' >> "$SAMPLES.tmp"
  ip netns exec "$NATLAB_NS_LAN" /usr/bin/python3 scripts/benchmark_turn_aioice.py "$NATLAB_WAN_INET" natlab natlab 5 \
    | sed -nE 's/^RESULT (.*)\t(.*)$/turn\t\1\t\2/p' >> "$SAMPLES.tmp"
done
kill "$http_pid" 2>/dev/null || true
for _ in $(seq 1 "$RUNS"); do
  start_app --nat.turn.servers="turn:$NATLAB_WAN_INET" --nat.turn.username=natlab --nat.turn.password=natlab
  if await_log "verified reachable from outside" 60; then
    mapped=$(log_epoch_ms "checking it from outside")
    verified=$(log_epoch_ms "verified reachable from outside")
    sample turn "sample app: mapped on the router to verified reachable, first check at startup" $((verified - mapped))
  fi
  stop_app
done
cli=nat-cli/target/natboot-cli.jar
for _ in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  ip netns exec "$NATLAB_NS_LAN" java -jar "$cli" netcheck --stun "$NATLAB_WAN_INET" --turn "turn:$NATLAB_WAN_INET" \
    --turn-user natlab --turn-password natlab >/dev/null || true
  sample turn "netcheck: every protocol, STUN and TURN (process start included)" $((($(date +%s%N) - t0) / 1000000))
  t0=$(date +%s%N)
  ip netns exec "$NATLAB_NS_LAN" sh -c "upnpc -s >/dev/null 2>&1; natpmpc -g $NATLAB_LAN_ROUTER >/dev/null 2>&1" || true
  sample turn "upnpc -s, then natpmpc (UPnP and NAT-PMP only)" $((($(date +%s%N) - t0) / 1000000))
done
lab_down
fi

# 8. The relay behind carrier-grade NAT: natboot's SshRelay and `ssh -R` side by side, each forwarding a port of
# the lab's sshd to one local HTTP server (python's, on the LAN host's loopback); from the peer internet host,
# alternating, after a first download and seven to warm up each: a 64 MiB download (throughput) and 20 small
# requests (time to the first byte: connection setup through the relay included).
if want relay; then
log "8. relay"
lab_up --wan cgnat --peer
lab/natlab ssh "$LAB" start
keys="$NATLAB_STATE/ssh"
www=$(mktemp -d)
head -c 67108864 /dev/urandom > "$www/blob"
echo ok > "$www/small"
(cd "$www" && exec ip netns exec "$NATLAB_NS_LAN" /usr/bin/python3 -m http.server 8000 --bind 127.0.0.1) >/dev/null 2>&1 &
http_pid=$!
relay_fifo=$(mktemp -u) && mkfifo "$relay_fifo"
ip netns exec "$NATLAB_NS_LAN" java -cp "$BENCH_CP" dev.natboot.bench.RelayBench "$NATLAB_WAN_INET" root \
  "$keys/id_ecdsa" "$keys/known_hosts" 8000 40081 < "$relay_fifo" > "$www/relay.out" 2>&1 &
relay_pid=$!
exec 7> "$relay_fifo"
relays=("natboot relay:40081" "ssh -R (OpenSSH client):40082")
# RELAY_JAVA=/path/to/java: the same relay run on a second JVM too (a newer JDK's AES-GCM, for one), side by side.
if [ -n "${RELAY_JAVA:-}" ]; then
  alt_version=$("$RELAY_JAVA" -version 2>&1 | sed -nE '1s/.*version "([^"]+)".*/\1/p')
  ip netns exec "$NATLAB_NS_LAN" "$RELAY_JAVA" -cp "$BENCH_CP" dev.natboot.bench.RelayBench "$NATLAB_WAN_INET" root \
    "$keys/id_ecdsa" "$keys/known_hosts" 8000 40083 < "$relay_fifo" > "$www/relay-alt.out" 2>&1 7>&- &
  relays+=("natboot relay on Java $alt_version:40083")
  alt_pid=$!
fi
ip netns exec "$NATLAB_NS_LAN" ssh -N -o BatchMode=yes -o ExitOnForwardFailure=yes -i "$keys/id_ecdsa" \
  -o UserKnownHostsFile="$keys/known_hosts" -R "0.0.0.0:40082:127.0.0.1:8000" "root@$NATLAB_WAN_INET" &
ssh_pid=$!
for _ in $(seq 1 100); do
  grep -q READY "$www/relay.out" && ip netns exec "$NATLAB_NS_PEER" curl -sf -o /dev/null --max-time 1 \
    "http://$NATLAB_WAN_INET:40082/small" && break
  sleep 0.1
done
sample relay "natboot relay: connect, key exchange, authentication, forward, proof (first in a JVM)" \
  "$(sed -nE 's/^READY [^ ]+ ([0-9]+)$/\1/p' "$www/relay.out")"
if [ -n "${alt_pid:-}" ]; then
  for _ in $(seq 1 100); do grep -q READY "$www/relay-alt.out" && break; sleep 0.1; done
fi
peer_curl() { ip netns exec "$NATLAB_NS_PEER" curl -sf -o /dev/null --max-time 60 "$@"; }
# An application's relay runs for hours: its JIT-compiled steady state is what users get. The JVM reaches it
# after about 400 MiB relayed (measured: the relay's CPU per download falls from 280 to 110 ms over the first six),
# so the first download through each relay is its own row (cold, after connecting) and seven more warm it up.
for relay in "${relays[@]}"; do
  name=${relay%%:*}; port=${relay##*:}
  mbps=$(peer_curl -w '%{speed_download}' "http://$NATLAB_WAN_INET:$port/blob" | awk '{ printf "%.1f", $1 / 1048576 }')
  sample relay "$name, first 64 MiB download after connecting, MiB/s" "$mbps"
done
for _ in $(seq 1 7); do
  for relay in "${relays[@]}"; do peer_curl "http://$NATLAB_WAN_INET:${relay##*:}/blob" || true; done
done
for _ in $(seq 1 "$RUNS"); do
  for relay in "${relays[@]}"; do
    name=${relay%%:*}; port=${relay##*:}
    mbps=$(peer_curl -w '%{speed_download}' "http://$NATLAB_WAN_INET:$port/blob" | awk '{ printf "%.1f", $1 / 1048576 }')
    sample relay "$name, 64 MiB HTTP download, MiB/s" "$mbps"
    for _ in $(seq 1 20); do
      ttfb=$(peer_curl -w '%{time_starttransfer}' "http://$NATLAB_WAN_INET:$port/small" | awk '{ printf "%.2f", $1 * 1000 }')
      sample relay "$name, small request, time to first byte" "$ttfb"
    done
  done
done
exec 7>&-
kill "$ssh_pid" "$http_pid" 2>/dev/null || true
wait "$relay_pid" ${alt_pid:-} 2>/dev/null || true
rm -rf "$www" "$relay_fifo"
lab_down
fi

# 9. IPv6: one start maps IPv4 and opens the pinhole; from the internet host, one poller per family. Then the
# cost of the pinhole at startup: the same lab, nat.server.ipv6 on and off alternating.
if want ipv6; then
log "9. ipv6"
for router in all upnp-only; do
  lab_up --router "$router" --ipv6
  case "$router" in all) name="PCP router" ;; *) name="UPnP-only router" ;; esac
  for _ in $(seq 1 "$MAPPING_RUNS"); do
    reach4=$(mktemp) reach6=$(mktemp)
    start_app
    reach_from_inet "$reach4"
    poller4=$!
    reach_from_inet "$reach6" "$NATLAB_LAN6_HOST"
    poller6=$!
    if await_log "is reachable at .* and \[" 60; then
      line=$(grep -m1 "is reachable at .* and \[" "$LOG")
      sample ipv6 "$name: IPv4 mapping confirmed" "$(sed -nE 's/.*confirmed in ([0-9.]+) ms; IPv6.*/\1/p' <<<"$line")"
      sample ipv6 "$name: IPv6 pinhole confirmed" "$(sed -nE 's/.*IPv6 .* confirmed in ([0-9.]+) ms\)$/\1/p' <<<"$line")"
      if wait "$poller4" && wait "$poller6"; then
        web=$(log_epoch_ms "Tomcat started on port")
        sample ipv6 "$name: reachable over IPv4 after Tomcat started" "$(($(cat "$reach4") - web))"
        sample ipv6 "$name: reachable over IPv6 after Tomcat started" "$(($(cat "$reach6") - web))"
        sample ipv6 "$name: IPv6 reachable after IPv4 (negative: before)" "$(($(cat "$reach6") - $(cat "$reach4")))"
      fi
    fi
    kill "$poller4" "$poller6" 2>/dev/null || true
    stop_app
    rm -f "$reach4" "$reach6"
    # The same start without the pinhole, alternating: what the pinhole costs the IPv4 mapping.
    reach4=$(mktemp)
    start_app --nat.server.ipv6=false
    reach_from_inet "$reach4"
    poller4=$!
    if await_log "is reachable at" 60; then
      sample ipv6 "$name, nat.server.ipv6=false: IPv4 mapping confirmed" \
        "$(sed -nE 's/.*confirmed in ([0-9.]+) ms.*/\1/p' <<<"$(grep -m1 "is reachable at" "$LOG")")"
      if wait "$poller4"; then
        sample ipv6 "$name, nat.server.ipv6=false: reachable over IPv4 after Tomcat started" \
          "$(($(cat "$reach4") - $(log_epoch_ms "Tomcat started on port")))"
      fi
    fi
    kill "$poller4" 2>/dev/null || true
    stop_app
    rm -f "$reach4"
  done
  lab_down
done
lab_up --router all --ipv6
for _ in $(seq 1 "$STARTUP_RUNS"); do
  while read -r variant; do
    start_app "--nat.server.ipv6=$variant"
    await_log "Started SampleApplication" 60 || { stop_app; continue; }
    sample ipv6-startup "dual stack, nat.server.ipv6=$variant" "$(started_ms)"
    stop_app
  done < <(printf 'true\nfalse\n' | shuf)
done
lab_down
fi

# 10. ICE: two peers of one agent, site 1 controlling and site 2 controlled, on the same lab pairs; natboot
# (natboot-cli ice), ice4j (Ice4jPeer), aioice (lab/aioice-peer.py) and libnice (lab/nice-peer.c) in a new random
# order each round. Time from both descriptions written to both peers saying they are connected
# (scripts/benchmark_ice.py); a run that does not connect within 30 s is a failure.
if want ice; then
log "10. ice"
lab/build-nice-peer
ICE_RUNS=${ICE_RUNS:-$MAPPING_RUNS}
# PAIR|site 1 router|site 1 NAT|site 2 router|site 2 NAT|TURN server given
for pair in "plain/plain|none|masquerade|none|masquerade|no" "plain/random|none|masquerade|none|random|yes" \
    "random/random|none|random|none|random|yes" "random+router/random|all|random|none|random|yes"; do
  IFS='|' read -r label router1 nat1 router2 nat2 relay <<<"$pair"
  lab_up --stun --router "$router1" --nat "$nat1" --site2 "$router2" --nat2 "$nat2"
  export NATLAB_NS_LAN NATLAB_NS_LAN2 NATLAB_WAN_INET BENCH_CP
  for _ in $(seq 1 "$ICE_RUNS"); do
    while read -r agent; do
      while IFS=$'\t' read -r _ _ millis path; do
        if [ "$millis" = fail ]; then
          sample ice-failed "$agent, $label" 1
        else
          sample ice "$agent, $label" "$millis"
          sample ice-path "$agent, $label: $path" 1
        fi
      done < <(python3 scripts/benchmark_ice.py "$agent" "$label" 1 "$relay")
    done < <(printf 'natboot\nice4j\naioice\nlibnice\n' | shuf)
  done
  lab_down
done
fi

# 11. ICE-TCP with UDP blocked at both routers (natlab --block-udp): natboot (natboot-cli ice --tcp-only) and
# libnice's ICE-TCP (nice-peer --tcp-only: active and passive candidates, no simultaneous open, no TCP relay) on
# the same pairs, in a new random order each round; aioice and ice4j have no ICE-TCP to compare. natboot asks
# every router for a port-mapped candidate, and gets a TURN server where the pair has no direct path.
if want ice-tcp; then
log "11. ice-tcp"
lab/build-nice-peer
ICE_RUNS=${ICE_RUNS:-$MAPPING_RUNS}
for pair in "plain/plain|none|masquerade|none|masquerade|no" "plain/random|none|masquerade|none|random|yes" \
    "random/random|none|random|none|random|yes" "random+router/random|all|random|none|random|yes" \
    "plain+router/plain|all|masquerade|none|masquerade|no"; do
  IFS='|' read -r label router1 nat1 router2 nat2 relay <<<"$pair"
  lab_up --stun --router "$router1" --nat "$nat1" --site2 "$router2" --nat2 "$nat2" --block-udp
  export NATLAB_NS_LAN NATLAB_NS_LAN2 NATLAB_WAN_INET BENCH_CP
  for _ in $(seq 1 "$ICE_RUNS"); do
    while read -r agent; do
      while IFS=$'\t' read -r _ _ millis path; do
        if [ "$millis" = fail ]; then
          sample ice-tcp-failed "$agent, $label" 1
        else
          sample ice-tcp "$agent, $label" "$millis"
          sample ice-tcp-path "$agent, $label: $path" 1
        fi
      done < <(ICE_TRANSPORT=tcp python3 scripts/benchmark_ice.py "$agent" "$label" 1 "$relay")
    done < <(printf 'natboot\nlibnice\n' | shuf)
  done
  lab_down
done
fi

# 12. Port prediction (PortPrediction: 256 sockets on the hard side, 2,048 probes at 2,000 a second from the easy
# side) between a plain NAT and a symmetric one, no router: the pair ICE relays. Beside it, in the same rounds and
# lab, natboot's ICE with a TURN server (the relay fallback) from both descriptions known to connected.
if want port-prediction; then
log "12. port-prediction"
PREDICT_RUNS=${PREDICT_RUNS:-$((MAPPING_RUNS * 2))}
lab_up --stun --router none --site2 none --nat2 random
export NATLAB_NS_LAN NATLAB_NS_LAN2 NATLAB_WAN_INET BENCH_CP
for _ in $(seq 1 "$PREDICT_RUNS"); do
  while IFS=$'\t' read -r outcome millis; do
    if [ "$outcome" = predicted ]; then sample port-prediction "port prediction, plain/random" "$millis"
    else sample port-prediction-failed "port prediction, plain/random" 1; fi
  done < <(python3 scripts/benchmark_predict.py 1 256 2048 2000)
  while IFS=$'\t' read -r _ _ millis path; do
    if [ "$millis" = fail ]; then sample port-prediction-failed "relay fallback (ICE with TURN), plain/random" 1
    else sample port-prediction "relay fallback (ICE with TURN), plain/random" "$millis"; fi
  done < <(python3 scripts/benchmark_ice.py natboot plain/random 1 yes)
done
lab_down
fi

mv "$SAMPLES.tmp" "$SAMPLES"
/usr/bin/python3 scripts/benchmark_report.py "$SAMPLES" "$RUNS"
log "done: $(dirname "$SAMPLES")/benchmark-results.md, $(dirname "$SAMPLES")/images/benchmark-*.png"
