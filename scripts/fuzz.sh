#!/bin/bash
# Builds wscheck's libFuzzer targets (clang from Debian) and runs each one for
# a bounded time on a copy of the seed corpus.
#
#   scripts/fuzz.sh                   # all targets, FUZZ_SECONDS (20) each
#   FUZZ_SECONDS=300 scripts/fuzz.sh matcher
#   scripts/fuzz.sh --build-only      # just build build-fuzz/*_fuzz
#   FUZZ_KEEP_GOING=1 scripts/fuzz.sh # don't stop at the first finding (fork mode)
#   WSCHECK_FUZZ_NO_REGEX=1 ...       # matcher: skip regex matchers
#
# Targets: parser (parse_scenario_text), matcher (match_message and
# validate_json_pattern), variables (find_var_refs / expand_template /
# expand_json). Seeds live in fuzz/corpus/<target>/ and are never written
# to: the run works on build-fuzz/corpus/<target>/. A crash, sanitizer
# report (ASan, UBSan), uncaught exception, violated invariant, hang
# (-timeout=5) or out-of-memory (-rss_limit_mb=2048) is saved under
# build-fuzz/artifacts/<target>/ and makes the script exit 1.
# Reproduce one with: build-fuzz/<target>_fuzz build-fuzz/artifacts/<target>/crash-...
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/build-fuzz"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
CXX="${CXX_FUZZ:-clang++}"
ALL_TARGETS=(parser matcher variables)

build_only=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    parser|matcher|variables) targets+=("$arg") ;;
    *) echo "fuzz.sh: unknown argument \"$arg\" (targets: ${ALL_TARGETS[*]}, --build-only)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${ALL_TARGETS[@]}")

if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "fuzz.sh: $CXX not found; on Debian 12: apt-get install -y clang libclang-rt-14-dev" >&2
  exit 2
fi
if ! [[ "$FUZZ_SECONDS" =~ ^[0-9]+$ ]] || [ "$FUZZ_SECONDS" -lt 1 ]; then
  echo "fuzz.sh: FUZZ_SECONDS must be a positive integer, got \"$FUZZ_SECONDS\"" >&2
  exit 2
fi

# The parts of wscheck the targets exercise (no libwebsockets needed).
LIB_SOURCES=(
  src/scenario/json_source.cc src/scenario/utf8.cc src/scenario/model.cc src/scenario/variables.cc
  src/scenario/matcher.cc src/scenario/regex.cc src/scenario/regex_cache.cc src/scenario/jwt.cc src/scenario/parser.cc src/core/url.cc
  src/scenario/keys.cc src/scenario/scenario_error.cc src/scenario/field_reader.cc src/scenario/step_parser.cc
  src/scenario/connect_parser.cc src/scenario/server_block.cc src/scenario/suite_loader.cc src/report/source_excerpt.cc
)
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
CXXFLAGS=(-std=c++20 -g -O1 -I "$ROOT/src" -I "$ROOT/build" -I "$ROOT")

mkdir -p "$OUT/obj" "$OUT/logs"
cd "$ROOT" || exit 2

echo "== building fuzz targets with $("$CXX" --version | head -n1)"
objects=()
pids=()
for src in "${LIB_SOURCES[@]}"; do
  obj="$OUT/obj/$(echo "${src#src/}" | tr '/' '_' | sed 's/\.cc$/.o/')"
  objects+=("$obj")
  "$CXX" "${CXXFLAGS[@]}" "${SAN[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" &
  pids+=($!)
done
build_failed=0
for pid in "${pids[@]}"; do wait "$pid" || build_failed=1; done
for t in "${targets[@]}"; do
  [ $build_failed -eq 0 ] || break
  "$CXX" "${CXXFLAGS[@]}" "${SAN[@]}" -fsanitize=fuzzer "fuzz/${t}_fuzz.cc" "${objects[@]}" \
    -lpcre2-8 -lssl -lcrypto -o "$OUT/${t}_fuzz" || build_failed=1
done
if [ $build_failed -ne 0 ]; then
  echo "fuzz.sh: build failed" >&2
  exit 2
fi
[ $build_only -eq 1 ] && { echo "built: ${targets[*]/%/_fuzz} in $OUT"; exit 0; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Stop at the first finding (libFuzzer's default), or keep going in fork
# mode and collect every finding of the time budget. Either way the verdict
# comes from the artifacts directory: fork mode exits 0 with ignore_*.
mode_flags=()
if [ "${FUZZ_KEEP_GOING:-0}" = "1" ]; then
  mode_flags=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

# One readable line per stack frame: no template arguments, no addresses.
short_stack() {
  grep -E '^ +#[0-9]+ ' "$1" |
    grep -v -E 'libFuzzer|fuzzer::|__asan|__ubsan|__sanitizer|libc\.so|libc_start|_start |pthread_kill|raise|abort |fuzzcheck::fail' |
    perl -pe '1 while s/<[^<>]*>//g; s/^ *(#\d+) 0x[0-9a-f]+ in /   $1 /; s/ \/usr\/bin\/\.\.\/lib\/gcc\/[^ ]*\/include\/c\+\+\/12\// <c++>\//; s/\(BuildId: [0-9a-f]+\)//' |
    awk '!seen[$0]++' | head -n "${2:-10}" | cut -c1-200
}

status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$OUT/corpus/$t"
  artifacts="$OUT/artifacts/$t"
  log="$OUT/logs/$t.log"
  rm -rf "$corpus" "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  cp -R "fuzz/corpus/$t/." "$corpus/"
  echo "== fuzzing $t for ${FUZZ_SECONDS}s (log: ${log#$ROOT/})"
  "$OUT/${t}_fuzz" "$corpus" -dict="fuzz/scenario.dict" -max_total_time="$FUZZ_SECONDS" \
    -rss_limit_mb=2048 -timeout=5 -print_final_stats=1 -artifact_prefix="$artifacts/" "${mode_flags[@]}" \
    >"$log" 2>&1
  rc=$?
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')"
  found=$(find "$artifacts" -type f | wc -l)
  if [ $rc -eq 0 ] && [ "$found" -eq 0 ]; then
    summary+=("ok    $t: ${runs:-?} runs, corpus $(find "$corpus" -type f | wc -l) inputs")
    continue
  fi
  status=1
  summary+=("FAIL  $t: exit $rc after ${runs:-?} runs, $found artifact(s) in ${artifacts#$ROOT/}")
  echo "-- $t found a problem (exit $rc); report:"
  grep -E 'ERROR: (AddressSanitizer|libFuzzer)|runtime error:|INVARIANT VIOLATED|terminate called|timeout after|out-of-memory' "$log" |
    perl -pe '1 while s/<[^<>]*>//g' | cut -c1-300 | awk '!seen[$0]++' | head -n 5 | sed 's/^/   /'
  short_stack "$log" 10
  for a in "$artifacts"/*; do
    [ -f "$a" ] || continue
    echo "   reproducer ${a#$ROOT/} ($(wc -c <"$a") bytes): $(head -c 256 "$a" | od -An -v -tx1 | tr -d ' \n')"
    echo "   rerun: ${OUT#$ROOT/}/${t}_fuzz ${a#$ROOT/}"
  done
done

echo "== fuzz summary (${FUZZ_SECONDS}s per target)"
printf '   %s\n' "${summary[@]}"
exit $status
