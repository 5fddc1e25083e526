#!/usr/bin/env bash
# Benchmark: check a 100-line requirements file three ways, in a venv made here
# with 100 hand-written distributions (no network):
#   1. wscheck doctor --requirements (one interpreter process for everything)
#   2. pip check (pip's own consistency check of the installed set)
#   3. a per-module loop: python -c 'import X' for each of the 100 modules
# Usage: scripts/bench_deps.sh [WSCHECK] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
wscheck=${1:-build/wscheck}
rounds=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 -m venv --without-pip "$tmp/venv"
py="$tmp/venv/bin/python"
sp=$(echo "$tmp"/venv/lib/python3*/site-packages)
cp -r /usr/lib/python3/dist-packages/packaging "$sp/"
: > "$tmp/requirements.txt"
for i in $(seq 1 100); do
  mkdir -p "$sp/benchpkg$i" "$sp/benchpkg$i-1.$i.0.dist-info"
  echo "x = $i" > "$sp/benchpkg$i/__init__.py"
  printf 'Metadata-Version: 2.1\nName: benchpkg%d\nVersion: 1.%d.0\n' "$i" "$i" > "$sp/benchpkg$i-1.$i.0.dist-info/METADATA"
  echo "benchpkg$i>=1.0,<2 ; python_version >= '3.8'" >> "$tmp/requirements.txt"
done

# best of N wall-clock runs of a command, in ms
best() {
  local best_ms=999999999
  for _ in $(seq 1 "$rounds"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    (( ms < best_ms )) && best_ms=$ms
  done
  echo "$best_ms"
}
loop() {
  for i in $(seq 1 100); do "$py" -c "import benchpkg$i"; done
}

w=$(best "$wscheck" doctor --python "$py" --requirements "$tmp/requirements.txt")
"$wscheck" doctor --python "$py" --requirements "$tmp/requirements.txt" | grep -q "100 of 100 requirements satisfied" \
  || { echo "wscheck did not check all 100 requirements" >&2; exit 1; }
if /usr/bin/python3 -m pip --version > /dev/null 2>&1; then
  p=$(best /usr/bin/python3 -m pip --python "$py" check)
else
  p=""
fi
l=$(best loop)
echo "checking a 100-line requirements.txt (best of $rounds):"
printf '  %-44s %6s ms\n' "wscheck doctor --requirements" "$w"
[ -n "$p" ] && printf '  %-44s %6s ms  (%sx wscheck; checks consistency, not the file)\n' "pip check" "$p" "$(( p / (w > 0 ? w : 1) ))"
printf '  %-44s %6s ms  (%sx wscheck; no versions checked)\n' "python -c 'import X' per module (100 runs)" "$l" "$(( l / (w > 0 ? w : 1) ))"
