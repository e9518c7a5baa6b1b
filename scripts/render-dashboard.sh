#!/usr/bin/env bash
# Renders the Grafana dashboard (docs/grafana/natboot-dashboard.json) from real data: the sample app runs
# behind the lab router with short leases and an extra UDP mapping, a real Prometheus scrapes it inside the
# lab, the router is stopped for a while and started again, and every panel's query is then evaluated by
# that Prometheus and drawn in the dashboard's layout (scripts/render_dashboard.py; Grafana itself is not
# packaged for this machine). Writes docs/images/grafana-dashboard.png.
#
#   sudo scripts/render-dashboard.sh [SECONDS_BEFORE_OUTAGE [OUTAGE_SECONDS [SECONDS_AFTER]]]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "render-dashboard: needs root for network namespaces" >&2; exit 1; }
BEFORE=${1:-90} OUTAGE=${2:-45} AFTER=${3:-90}

lab/install-deps
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -f sample-app/target/sample-app.jar ] || ./mvnw -B -q -DskipTests install

LAB=graf
WORK=$(mktemp -d /tmp/natboot-dashboard.XXXXXX)
lab/natlab cleanup
# Leases of at most 20 s: renewals every 10-12.5 s, so the lease panel shows its saw-tooth within minutes.
eval "$(lab/natlab up "$LAB" --router all --lifetime 1:20)"
app="" prom=""
finish() {
  trap - EXIT INT TERM
  [ -n "$app" ] && kill -TERM "$app" 2>/dev/null && wait "$app" 2>/dev/null || true
  [ -n "$prom" ] && kill "$prom" 2>/dev/null || true
  lab/natlab down "$LAB"
  echo "Logs and Prometheus data: $WORK"
}
trap finish EXIT INT TERM

cat > "$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: sample-app
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ['$NATLAB_LAN_HOST:8080']
YAML
# Prometheus lives on the LAN host, next to the app: everything stays inside the lab's namespaces.
ip netns exec "$NATLAB_NS_LAN" prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address=127.0.0.1:9090 >"$WORK/prometheus.log" 2>&1 &
prom=$!
start=$(date +%s)
ip netns exec "$NATLAB_NS_LAN" java -jar sample-app/target/sample-app.jar --nat.mappings.game.internal-port=27015 \
  --nat.mappings.game.protocol=udp >"$WORK/app.log" 2>&1 &
app=$!
echo "== App and Prometheus started; router outage after ${BEFORE} s for ${OUTAGE} s, then ${AFTER} s more"
sleep "$BEFORE"
echo "== Stopping the router daemon"
lab/natlab router "$LAB" stop
sleep "$OUTAGE"
echo "== Starting the router daemon again"
lab/natlab router "$LAB" start
sleep "$AFTER"
end=$(date +%s)
mkdir -p docs/images
ip netns exec "$NATLAB_NS_LAN" /usr/bin/python3 scripts/render_dashboard.py --prometheus http://127.0.0.1:9090 \
  --dashboard docs/grafana/natboot-dashboard.json --start "$start" --end "$end" --out docs/images/grafana-dashboard.png
grep -E "reachable at|failed:|no longer|lost" "$WORK/app.log" | sed 's/^.*\] //' | head -20 || true
