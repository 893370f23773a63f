#!/usr/bin/env bash
# Builds the libFuzzer targets into build-fuzz (clang, ASan + UBSan) and runs each for a
# bounded time, starting from its committed seed corpus (fuzz/corpus/<target>; what a run adds
# goes to build-fuzz/corpus/<target>, the committed seeds are not touched).
#
#   bash fuzz/run.sh SECONDS [TARGET…]   # SECONDS per target (default 20); default: all targets
#
# Exits non-zero when a target crashes, leaks, hits undefined behaviour or spends over 30 s on
# one input (generous: on a loaded machine a 10 s limit fired for inputs that take
# milliseconds); the input that did it is kept in build-fuzz/artifacts/. Environment:
# FUZZ_JOBS (default 1) parallel workers per target; FUZZ_ARGS extra libFuzzer flags (e.g.
# -runs=10000000).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(decode_client workshop_file api_bodies decode_server user_text)
fi
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}

cmake -S . -B build-fuzz -G Ninja -DCYLCH_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCYLCH_WERROR=ON >/dev/null
ninja -C build-fuzz "${targets[@]/#/fuzz_}"

mkdir -p build-fuzz/artifacts build-fuzz/logs
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
jobs=()
if ((${FUZZ_JOBS:-1} > 1)); then
  jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS") # output then goes to fuzz-N.log
fi
failed=0
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  log="build-fuzz/logs/$t.log"
  echo "== fuzz_$t: ${seconds} s (log: $log) =="
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  if "build-fuzz/fuzz/fuzz_$t" "build-fuzz/corpus/$t" "fuzz/corpus/$t" \
    -dict=fuzz/json.dict -max_total_time="$seconds" -max_len=16384 -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t-" \
    "${jobs[@]}" ${FUZZ_ARGS:-} >"$log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$log" || true
  else
    echo "fuzz_$t FAILED (input kept in build-fuzz/artifacts/):" >&2
    tail -n 40 "$log" >&2
    failed=1
  fi
done
exit "$failed"
