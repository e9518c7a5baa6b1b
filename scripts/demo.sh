#!/usr/bin/env bash
# The main job on a machine without a home router: builds the lab router (miniupnpd behind nftables NAT, in
# network namespaces), starts the sample app behind it, shows a request from the lab's internet side reaching
# the app through the mapping, what the lab's STUN server (coturn) sees of it, the same coturn as a TURN server
# verifying the mapping from outside, and netcheck's view of the network; then, in a second lab behind
# carrier-grade NAT where no mapping can work, a second app reached through the relay fallback (OpenSSH's sshd
# on the internet side); keeps running until interrupted (Ctrl-C), then shows the mapping gone.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: needs root for network namespaces; run 'sudo scripts/demo.sh'" >&2; exit 1; }

LAB=demo
RELAY_LAB=demor
lab/install-deps
echo "== Building the sample app"
./mvnw -B -q -DskipTests package
lab/natlab cleanup
eval "$(lab/natlab up "$LAB" --router pcp --stun)"
LOG=$(mktemp /tmp/natboot-demo.XXXXXX.log)
app=""

finish() {
  trap - EXIT INT TERM
  if [ -n "$app" ] && kill -0 "$app" 2>/dev/null; then
    echo; echo "== Stopping the app (SIGTERM): it releases the mapping before its graceful shutdown"
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    grep -E "no longer mapped|did not confirm" "$LOG" | sed 's/^.*: /   /' || true
    echo "== Router's forwarding rules now:"; lab/natlab mappings "$LAB" | sed 's/^/   /'
  fi
  lab/natlab down "$RELAY_LAB" >/dev/null 2>&1 || true
  lab/natlab down "$LAB"
  echo "Lab removed. App log: $LOG"
}
trap finish EXIT INT TERM

echo "== Lab: app host $NATLAB_LAN_HOST behind router $NATLAB_LAN_ROUTER (external $NATLAB_WAN_ROUTER), internet host $NATLAB_WAN_INET"
echo "== Starting sample-app.jar on the LAN host"
# Its own session: Ctrl-C reaches only this script, which then stops the app first and the router last.
setsid ip netns exec "$NATLAB_NS_LAN" java -jar sample-app/target/sample-app.jar \
  --nat.stun.servers="$NATLAB_WAN_INET" --nat.turn.servers="turn:$NATLAB_WAN_INET" --nat.turn.username=natlab \
  --nat.turn.password=natlab >"$LOG" 2>&1 < /dev/null &
app=$!
for _ in $(seq 1 600); do
  grep -qE "verified reachable from outside|not reachable from outside" "$LOG" && break
  kill -0 "$app" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.1
done
grep -E "Started SampleApplication|is mapped on the router|reachable from outside" "$LOG" | sed 's/^.*: /   /'
echo "== The router holds the mapping (upnpc -l, an independent client):"
lab/natlab upnp-list "$LAB" | grep -E '^ *[0-9]+ (TCP|UDP)' | sed 's/^/   /'
echo "== From the internet host: curl http://$NATLAB_WAN_ROUTER:8080/"
ip netns exec "$NATLAB_NS_INET" curl -sS --max-time 5 "http://$NATLAB_WAN_ROUTER:8080/" | sed 's/^/   /'
echo
echo "== The actuator shares that port, and stays the LAN's: from the internet host, then from the LAN host"
ip netns exec "$NATLAB_NS_INET" curl -s -o /dev/null -w "   GET /actuator/health from the internet: HTTP %{http_code}\n" \
  --max-time 5 "http://$NATLAB_WAN_ROUTER:8080/actuator/health"
ip netns exec "$NATLAB_NS_LAN" curl -s -o /dev/null -w "   GET /actuator/health from the LAN:      HTTP %{http_code}\n" \
  --max-time 5 "http://$NATLAB_LAN_HOST:8080/actuator/health"
echo "== What the internet sees, from the lab's STUN server (GET /actuator/nat, its 'stun' part):"
for _ in $(seq 1 100); do grep -q "sees this host at" "$LOG" && break; sleep 0.1; done
ip netns exec "$NATLAB_NS_LAN" curl -sS --max-time 5 "http://$NATLAB_LAN_HOST:8080/actuator/nat" \
  | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin).get("stun"), indent=2))' | sed 's/^/   /'
echo "== netcheck from the LAN host (java -jar nat-cli/target/natboot-cli.jar netcheck ...):"
ip netns exec "$NATLAB_NS_LAN" java -jar nat-cli/target/natboot-cli.jar netcheck --stun "$NATLAB_WAN_INET" \
  --turn "turn:$NATLAB_WAN_INET" --turn-user natlab --turn-password natlab | sed 's/^/   /' || true
echo "== Behind carrier-grade NAT no mapping can work: a second lab, a second app, the relay fallback"
relay_env=$(lab/natlab up "$RELAY_LAB" --wan cgnat --peer)
relay_inet=$(echo "$relay_env" | sed -n 's/^NATLAB_WAN_INET=//p')
relay_state=$(echo "$relay_env" | sed -n 's/^NATLAB_STATE=//p')
lab/natlab ssh "$RELAY_LAB" start
RELAY_LOG=$(mktemp /tmp/natboot-demo-relay.XXXXXX.log)
echo "   OpenSSH's sshd on that lab's internet host $relay_inet; the app's only extra settings: nat.relay.ssh.*"
ip netns exec "natlab-$RELAY_LAB-lan" java -jar sample-app/target/sample-app.jar \
  --nat.relay.ssh.host="$relay_inet" --nat.relay.ssh.username=root \
  --nat.relay.ssh.private-key="file:$relay_state/ssh/id_ecdsa" \
  --nat.relay.ssh.known-hosts="file:$relay_state/ssh/known_hosts" >"$RELAY_LOG" 2>&1 < /dev/null &
relay_app=$!
for _ in $(seq 1 600); do grep -q "reachable through relay" "$RELAY_LOG" && break; sleep 0.1; done
grep -E "failed: No port mapping|is mapped on the router|reachable through relay" "$RELAY_LOG" | sed 's/^.*: /   /' | cut -c1-160
endpoint=$(sed -nE 's/.*reachable through relay ([0-9.]+:[0-9]+).*/\1/p' "$RELAY_LOG" | head -1)
if [ -n "$endpoint" ]; then
  echo "== From another internet host: curl http://$endpoint/ (through the relay)"
  lab/natlab exec "$RELAY_LAB" peer curl -sS --max-time 5 "http://$endpoint/" | sed 's/^/   /'; echo
  lab/natlab exec "$RELAY_LAB" peer curl -s -o /dev/null -w "   GET /actuator/health through the relay: HTTP %{http_code}\n" \
    --max-time 5 "http://$endpoint/actuator/health"
  echo "== Its 'relay' in GET /actuator/nat (from its LAN host):"
  lab/natlab exec "$RELAY_LAB" lan curl -sS --max-time 5 http://127.0.0.1:8080/actuator/nat \
    | python3 -c 'import json, sys; r = json.load(sys.stdin)["relay"]; print(json.dumps({k: r[k] for k in ("mode", "status", "server", "publicEndpoint", "reason", "connections")}, indent=2))' \
    | sed 's/^/   /'
fi
kill -TERM "$relay_app"; wait "$relay_app" 2>/dev/null || true
lab/natlab down "$RELAY_LAB" >/dev/null
echo "   (the relay lab is removed; its app log: $RELAY_LOG)"
echo "Running. From another shell:  sudo lab/natlab exec $LAB inet curl http://$NATLAB_WAN_ROUTER:8080/"
echo "Health and metrics (from the LAN): sudo lab/natlab exec $LAB lan curl http://$NATLAB_LAN_HOST:8080/actuator/health"
echo "Press Ctrl-C to stop."
wait "$app"
