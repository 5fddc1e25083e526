#!/usr/bin/env bash
# Load benchmarks for `wscheck bench` (docs/bench.md "Benchmarks"). Not part of the test suite.
#
#  1. Echo throughput, 64 B messages, window 100, against ONE echo server in a
#     separate process (tests/peers/echo_server.js: node + npm ws, a raw echo):
#     wscheck bench --echo vs scripts/bench_echo_node.js (npm ws) vs
#     scripts/bench_echo_python.py (Debian python3-websockets), one after the other
#     in this run. Messages/s and client CPU per message (user+sys of the load
#     process from /usr/bin/time, divided by the messages echoed).
#  2. Connection rate: wscheck opening CONNS_RATE connections (one echo each): upgrades/s.
#  3. 10,000 idle connections held 30 s: wscheck's peak RSS (/usr/bin/time %M).
#  4. scenarios/agent_events.json at --rate RATE against tests/peers/fastapi_server.py:
#     achieved vs requested rate, p99 step latency; Artillery (npm) on the same
#     server when it is installed in $ARTILLERY_DIR (telemetry off, loopback only).
#
# Usage: scripts/bench_load.sh   (env: CONNS=4 MSGS=50000 THREADS=1 RATE=20 DURATION=20 IDLE=10000 IDLE_S=30)
# Everything runs on 127.0.0.1; only processes started here are stopped, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
WSCHECK=$ROOT/build/wscheck
CONNS=${CONNS:-4}
MSGS=${MSGS:-50000}      # per connection
THREADS=${THREADS:-1}
RATE=${RATE:-20}
DURATION=${DURATION:-20}
IDLE=${IDLE:-10000}
IDLE_S=${IDLE_S:-30}
CONNS_RATE=${CONNS_RATE:-2000}
ARTILLERY_DIR=${ARTILLERY_DIR:-/tmp/artillery}
export ARTILLERY_DISABLE_TELEMETRY=true

[ -x "$WSCHECK" ] || ninja -C "$ROOT/build" >/dev/null
[ -d tests/peers/node_modules/ws ] || (cd tests/peers && npm install --no-audit --no-fund --silent)
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

# start_peer NAME CMD...: starts a server, waits for its LISTENING line, sets PORT.
start_peer() {
  local name=$1; shift
  "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  PIDS+=($!)
  for _ in $(seq 1 150); do
    if grep -q '^LISTENING ' "$TMP/$name.out"; then PORT=$(awk '/^LISTENING/{print $2; exit}' "$TMP/$name.out"); return; fi
    sleep 0.1
  done
  echo "$name did not start" >&2; exit 3
}

# timed NAME CMD...: runs CMD under /usr/bin/time; stdout to $TMP/NAME.json, "user sys maxrss_kb" to $TMP/NAME.time
timed() {
  local name=$1; shift
  /usr/bin/time -f "%U %S %M" -o "$TMP/$name.time" "$@" >"$TMP/$name.json"
}

echo "== 1. echo throughput: 64 B, window 100, $CONNS connections x $MSGS messages, server: node ws echo (separate process)"
start_peer echo node tests/peers/echo_server.js
ECHO_URL="ws://127.0.0.1:$PORT/"
timed wscheck "$WSCHECK" bench -q --echo --url "$ECHO_URL" --size 64 --window 100 --connections "$CONNS" \
      --messages "$MSGS" --threads "$THREADS" --report-json "$TMP/wscheck-report.json"
timed node node scripts/bench_echo_node.js "$ECHO_URL" "$CONNS" 100 "$MSGS" 64
timed python $PY scripts/bench_echo_python.py "$ECHO_URL" "$CONNS" 100 "$MSGS" 64
$PY - "$TMP" <<'PYEOF'
import json, sys
tmp = sys.argv[1]
def cpu(name):
    u, s, m = open(f"{tmp}/{name}.time").read().split()[-3:]
    return float(u) + float(s), int(m)
rows = {}
rep = json.load(open(f"{tmp}/wscheck-report.json"))
rows["wscheck bench --echo"] = (rep["totals"]["messages_received"], rep["duration_s"], *cpu("wscheck"), rep["totals"]["errors"])
for name, label in (("node", "node ws client"), ("python", "python websockets client")):
    j = json.loads(open(f"{tmp}/{name}.json").read().strip().splitlines()[-1])
    rows[label] = (j["messages"], j["seconds"], *cpu(name), j["errors"])
print(f"{'client':28} {'messages':>10} {'msg/s':>10} {'CPU us/msg':>11} {'RSS MB':>7} errors")
for k, (m, s, c, rss, e) in rows.items():
    print(f"{k:28} {m:>10} {m/s:>10.0f} {c/m*1e6:>11.2f} {rss/1024:>7.1f} {e}")
w, n = rows["wscheck bench --echo"], rows["node ws client"]
p = rows["python websockets client"]
print(f"ratios: rate wscheck/node {w[0]/w[1]/(n[0]/n[1]):.2f}x, wscheck/python {w[0]/w[1]/(p[0]/p[1]):.2f}x; "
      f"CPU per message wscheck/node {(w[2]/w[0])/(n[2]/n[0]):.2f}, wscheck/python {(w[2]/w[0])/(p[2]/p[0]):.2f}")
PYEOF

echo
echo "== 2. connection rate: $CONNS_RATE connections, one echo each"
timed conns "$WSCHECK" bench -q --echo --url "$ECHO_URL" --connections "$CONNS_RATE" --messages 1 --window 1 \
      --threads "$THREADS" --report-json "$TMP/conns-report.json"
$PY - "$TMP" <<'PYEOF'
import json, sys
rep = json.load(open(f"{sys.argv[1]}/conns-report.json"))
t = rep["totals"]; up = rep["percentiles_us"].get("upgrade", {})
print(f"opened {t['connections_opened']} in {rep['duration_s']:.2f} s: {t['connections_opened']/rep['duration_s']:.0f} upgrades/s; "
      f"upgrade p50 {up.get('p50', 0)/1000:.2f} ms p99 {up.get('p99', 0)/1000:.2f} ms; errors {t['errors']}")
PYEOF

echo
echo "== 3. $IDLE idle connections held ${IDLE_S} s"
timed idle "$WSCHECK" bench -q --echo --url "$ECHO_URL" --connections "$IDLE" --messages 0 --duration "${IDLE_S}s" \
      --threads "$THREADS" --report-json "$TMP/idle-report.json"
$PY - "$TMP" "$IDLE" <<'PYEOF'
import json, sys
tmp, want = sys.argv[1], int(sys.argv[2])
rep = json.load(open(f"{tmp}/idle-report.json"))
rss_kb = int(open(f"{tmp}/idle.time").read().split()[-1])
peak = max((s["active"] for s in rep["series"]), default=0)
print(f"peak active {peak} of {want}; wscheck max RSS {rss_kb/1024:.1f} MB ({rss_kb*1024/max(peak,1)/1024:.1f} KB per connection); "
      f"errors {rep['totals']['errors']} {json.dumps(rep['failures'])[:200]}; limits: {rep['limits']}")
PYEOF
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=("${PIDS[@]:1}")

echo
echo "== 4. agent-events scenario at --rate $RATE/s for ${DURATION}s against the FastAPI peer"
start_peer fastapi $PY tests/peers/fastapi_server.py
API_URL="ws://127.0.0.1:$PORT"
timed agent "$WSCHECK" bench -q scenarios/agent_events.json --url "$API_URL" --rate "$RATE" --duration "${DURATION}s" \
      --threads "$THREADS" --report-json "$TMP/agent-report.json"
$PY - "$TMP" "$RATE" <<'PYEOF'
import json, sys
tmp, rate = sys.argv[1], float(sys.argv[2])
rep = json.load(open(f"{tmp}/agent-report.json"))
t, p = rep["totals"], rep["percentiles_us"]
it = p.get("iteration", {})
print(f"wscheck: requested {rate:.1f}/s, achieved {t['iterations']/rep['duration_s']:.2f}/s ({t['iterations']} iterations, "
      f"{t['iterations_failed']} failed); step p99 {p['latency']['p99']/1000:.1f} ms; iteration p50 {it.get('p50',0)/1000:.0f} ms "
      f"p99 {it.get('p99',0)/1000:.0f} ms; start lag p99 {p.get('start_lag',{}).get('p99',0)/1000:.2f} ms; "
      f"CPU {sum(map(float, open(f'{tmp}/agent.time').read().split()[-3:-1])):.2f} s")
PYEOF
ART="$ARTILLERY_DIR/node_modules/.bin/artillery"
if [ -x "$ART" ]; then
  TOKEN=$($PY -c 'import jwt,time; print(jwt.encode({"sub":"test-user","exp":int(time.time())+3600},"test-secret",algorithm="HS256"))')
  cat >"$TMP/agent.yml" <<YEOF
config:
  target: "$API_URL"
  phases: [{duration: $DURATION, arrivalRate: $RATE}]
  plugins: {}
scenarios:
  - engine: ws
    flow:
      - connect: "$API_URL/ws?token=$TOKEN"
      - send: {type: user_message, content: "What is the weather in Paris?"}
      - think: 3
YEOF
  timed artillery "$ART" run "$TMP/agent.yml" || true
  echo "artillery (same arrival rate; its ws engine cannot wait for the five events, so each VU sends and thinks 3 s):"
  grep -E "vusers\.(created|completed|failed)|websocket|errors" "$TMP/artillery.json" | tail -12 || true
  echo "artillery CPU: $(awk '{print $1+$2}' "$TMP/artillery.time") s, RSS $(awk '{print int($3/1024)}' "$TMP/artillery.time") MB"
else
  echo "artillery: not installed in $ARTILLERY_DIR (npm install artillery there to compare)"
fi
