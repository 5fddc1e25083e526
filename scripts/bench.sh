#!/usr/bin/env bash
# Benchmarks wscheck against the hand-written baselines a team would use today.
#
#  1. Wall time of the five bundled checks against the FastAPI reference peer:
#     `wscheck run scenarios/` vs scripts/baseline_python_checks.py (websockets
#     10.4 + PyJWT) vs scripts/baseline_node_checks.js (npm ws). RUNS runs each
#     (default 15), interleaved with a rotating order, after one warm-up run each.
#     Prints median / p90 / min / max and the ratio baseline median / wscheck median.
#  2. Time to diagnosis: a server that accepts TCP but never answers the upgrade
#     (fault_server.py --mode accept-silent), one that never answers pings
#     (--mode no-pong), and a refused port. wscheck runs a one-scenario file with
#     --step-timeout 1000; the Python baseline runs with its own 5 s timeouts, both
#     the matching check alone (--only) and the whole script. Reports when the
#     first error line appeared, the total wall time and that first line.
#
# Usage: scripts/bench.sh            (RUNS=N to change the run count)
# Everything runs on 127.0.0.1; only processes started here are stopped, by PID.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-15}
PY=/usr/bin/python3
WSCHECK=$ROOT/build/wscheck
STEP_TIMEOUT_MS=1000

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
[ -x "$WSCHECK" ] || ninja -C "$ROOT/build" >/dev/null
[ -d tests/peers/node_modules/ws ] || (cd tests/peers && npm install --no-audit --no-fund --silent)

TMP=$(mktemp -d)
PIDS=()

stop_pid() {
  local pid=$1 keep=() p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

now_ns() { date +%s%N; }

# start_peer NAME CMD...: run CMD in the background, wait for "LISTENING <port>".
# Sets PEER_PID and PEER_PORT.
start_peer() {
  local name=$1 out i
  shift
  out=$TMP/peer.$name
  "$@" >"$out.out" 2>"$out.err" &
  PEER_PID=$!
  PIDS+=("$PEER_PID")
  PEER_PORT=
  for ((i = 0; i < 200; i++)); do
    PEER_PORT=$(awk '$1 == "LISTENING" {print $2; exit}' "$out.out")
    [ -n "$PEER_PORT" ] && return 0
    if ! kill -0 "$PEER_PID" 2>/dev/null; then
      echo "peer $name exited before listening; its stderr:" >&2
      cat "$out.err" >&2
      exit 3
    fi
    sleep 0.05
  done
  echo "peer $name did not print LISTENING within 10 s" >&2
  exit 3
}

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# stats FILE (one value in microseconds per line) -> "n median p90 min max" in ms
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 }
    END {
      n = NR
      med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      r = int(0.9 * n); if (r < 0.9 * n) r++; if (r < 1) r = 1   # nearest-rank p90
      printf "%d %.1f %.1f %.1f %.1f\n", n, med / 1000, v[r] / 1000, v[1] / 1000, v[n] / 1000
    }'
}

ws_version=$("$WSCHECK" --version 2>&1 | head -1)
ws_mtime=$(date -r "$WSCHECK" '+%Y-%m-%d %H:%M:%S')
py_versions=$("$PY" -c 'import sys, websockets, jwt; print("python %s, websockets %s, PyJWT %s" % (sys.version.split()[0], websockets.__version__, jwt.__version__))')
node_versions="node $(node --version), ws $(node -p "require('./tests/peers/node_modules/ws/package.json').version")"

echo "wscheck benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')  host: $(nproc) CPUs, $(uname -sr)"
echo "  $ws_version (binary built $ws_mtime)"
echo "  baselines: $py_versions; $node_versions"
echo

# ---------------------------------------------------------------- section 1
start_peer fastapi "$PY" tests/peers/fastapi_server.py
FASTAPI_PID=$PEER_PID
URL=ws://127.0.0.1:$PEER_PORT

TOOLS=(wscheck wscheck_j python node)
declare -A LABEL=(
  [wscheck]="wscheck run scenarios/"
  [wscheck_j]="wscheck run -j 5 scenarios/"
  [python]="python baseline (websockets)"
  [node]="node baseline (ws)"
)
tool_cmd() {
  case $1 in
    wscheck) CMD=("$WSCHECK" run --color never --url "$URL" scenarios/) ;;
    wscheck_j) CMD=("$WSCHECK" run --color never -j 5 --url "$URL" scenarios/) ;;
    python)  CMD=("$PY" scripts/baseline_python_checks.py --url "$URL") ;;
    node)    CMD=(node scripts/baseline_node_checks.js --url "$URL") ;;
  esac
}

echo "== 1. five bundled checks against the FastAPI peer ($URL), $RUNS runs each, interleaved"
for t in "${TOOLS[@]}"; do     # warm-up (page cache, .pyc), not counted
  tool_cmd "$t"
  "${CMD[@]}" >/dev/null 2>&1 || true
  : >"$TMP/times.$t"
done

failures=0
for ((i = 0; i < RUNS; i++)); do
  for ((k = 0; k < ${#TOOLS[@]}; k++)); do
    t=${TOOLS[$(((i + k) % ${#TOOLS[@]}))]}
    tool_cmd "$t"
    s=$(now_ns)
    if "${CMD[@]}" >"$TMP/run.out" 2>&1; then rc=0; else rc=$?; fi
    e=$(now_ns)
    echo $(((e - s) / 1000)) >>"$TMP/times.$t"
    if [ "$rc" -ne 0 ]; then
      failures=$((failures + 1))
      echo "!! run $((i + 1)) of ${LABEL[$t]} exited $rc; its output, verbatim:"
      echo "!! \$ ${CMD[*]}"
      sed 's/^/   | /' "$TMP/run.out"
    fi
  done
done
stop_pid "$FASTAPI_PID"

read -r _ ws_med _ _ _ < <(stats "$TMP/times.wscheck")
printf '%-30s %5s %10s %10s %10s %10s %10s\n' tool runs "median ms" "p90 ms" "min ms" "max ms" "ratio"
for t in "${TOOLS[@]}"; do
  read -r n med p90 min max < <(stats "$TMP/times.$t")
  ratio=$(awk -v a="$med" -v b="$ws_med" 'BEGIN { printf "%.2fx", a / b }')
  printf '%-30s %5d %10s %10s %10s %10s %10s\n' "${LABEL[$t]}" "$n" "$med" "$p90" "$min" "$max" "$ratio"
done
echo "ratio = tool median / wscheck median (wall clock per process, start to exit)"
if [ "$failures" -eq 0 ]; then
  echo "all $((RUNS * ${#TOOLS[@]})) runs exited 0"
else
  echo "FAILED: $failures of $((RUNS * ${#TOOLS[@]})) runs exited non-zero (output above)"
fi
echo

# ---------------------------------------------------------------- section 2
SC=$TMP/scenarios
mkdir -p "$SC"
cat >"$SC/silent.json" <<'EOF'
{"name": "silent", "steps": [
  {"connect": {"url": "/ws"}},
  {"expect": {"json": {"type": "connection_established"}}}
]}
EOF
cat >"$SC/nopong.json" <<'EOF'
{"name": "no-pong", "steps": [
  {"connect": {"url": "/ws"}},
  {"expect": {"json": {"type": "connection_established"}}},
  {"ping": {}}
]}
EOF

WSCHECK_CLASSES='(dns_failed|tcp_refused|tcp_timeout|tls_failed|upgrade_timeout|upgrade_rejected|not_websocket|closed_by_server|reset|message_timeout|mismatch|server_exited):'

# diag LABEL ERROR_REGEX CMD...: run CMD (stdout+stderr, as a CI log would see
# them through a pipe), timestamp each output line, and report the first line
# matching ERROR_REGEX (else the first line), when it appeared and the total time.
diag() {
  local label=$1 re=$2 s e rc first_ms first_line
  shift 2
  s=$(now_ns)
  set +e
  "$@" 2>&1 | while IFS= read -r line; do
    printf '%d\t%s\n' $((($(date +%s%N) - s) / 1000000)) "$line"
  done >"$TMP/diag.out"
  rc=${PIPESTATUS[0]}
  set -e
  e=$(now_ns)
  first_ms=$(awk -F'\t' -v re="$re" '{ sub(/^[ \t]+/, "", $2) } $2 ~ re { print $1; exit }' "$TMP/diag.out")
  first_line=$(awk -F'\t' -v re="$re" '{ sub(/^[ \t]+/, "", $2) } $2 ~ re { print $2; exit }' "$TMP/diag.out")
  if [ -z "$first_line" ]; then
    first_ms=$(awk -F'\t' 'NR == 1 { print $1 }' "$TMP/diag.out")
    first_line="(no error line; first line:) $(awk -F'\t' 'NR == 1 { print $2 }' "$TMP/diag.out")"
  fi
  printf '  %-34s exit %-2s first error after %6s ms, done after %6d ms\n' \
    "$label" "$rc" "${first_ms:-?}" $(((e - s) / 1000000))
  printf '  %-34s %s\n' "" "$first_line"
}

PY_RE='^FAIL '

echo "== 2. time to diagnosis (wscheck --step-timeout $STEP_TIMEOUT_MS; python baseline with its 5 s timeouts)"

echo "[accept-silent] fault_server.py: accepts TCP, reads the upgrade request, never answers"
start_peer silent "$PY" tests/peers/fault_server.py --mode accept-silent
u=ws://127.0.0.1:$PEER_PORT
diag "wscheck run" "^$WSCHECK_CLASSES" \
  "$WSCHECK" run --color never --step-timeout "$STEP_TIMEOUT_MS" --url "$u" "$SC/silent.json"
diag "wscheck run --no-preflight" "^$WSCHECK_CLASSES" \
  "$WSCHECK" run --color never --no-preflight --step-timeout "$STEP_TIMEOUT_MS" --url "$u" "$SC/silent.json"
diag "python --only 'connect with token'" "$PY_RE" \
  "$PY" scripts/baseline_python_checks.py --url "$u" --only "connect with token"
diag "python (all five checks)" "$PY_RE" \
  "$PY" scripts/baseline_python_checks.py --url "$u"
stop_pid "$PEER_PID"

echo "[no-pong] fault_server.py: upgrade + connection_established, then ignores pings and messages"
start_peer nopong "$PY" tests/peers/fault_server.py --mode no-pong
u=ws://127.0.0.1:$PEER_PORT
diag "wscheck run" "^$WSCHECK_CLASSES" \
  "$WSCHECK" run --color never --step-timeout "$STEP_TIMEOUT_MS" --url "$u" "$SC/nopong.json"
diag "python --only 'ping/pong'" "$PY_RE" \
  "$PY" scripts/baseline_python_checks.py --url "$u" --only "ping/pong"
diag "python (all five checks)" "$PY_RE" \
  "$PY" scripts/baseline_python_checks.py --url "$u"
echo "  (note: this peer greets every client as user_id \"fault\" and ignores auth, so the full"
echo "   python script fails 'connect with token' and 'no-token rejection' first, for that reason)"
stop_pid "$PEER_PID"

port=$(free_port)
u=ws://127.0.0.1:$port
echo "[refused] nothing listens on 127.0.0.1:$port (port bound, then closed)"
diag "wscheck run" "^$WSCHECK_CLASSES" \
  "$WSCHECK" run --color never --step-timeout "$STEP_TIMEOUT_MS" --url "$u" "$SC/silent.json"
diag "wscheck run --no-preflight" "^$WSCHECK_CLASSES" \
  "$WSCHECK" run --color never --no-preflight --step-timeout "$STEP_TIMEOUT_MS" --url "$u" "$SC/silent.json"
diag "python --only 'connect with token'" "$PY_RE" \
  "$PY" scripts/baseline_python_checks.py --url "$u" --only "connect with token"
diag "python (all five checks)" "$PY_RE" \
  "$PY" scripts/baseline_python_checks.py --url "$u"

[ "$failures" -eq 0 ]
