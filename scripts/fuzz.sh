#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a bounded time, one after the
# other (one core each: the machine is shared). Usage:
#   scripts/fuzz.sh SECONDS [BUILD_DIR] [TARGET...]
# Each target starts from its committed seeds (tests/fuzz/corpus/<name>, read
# only) plus what earlier runs found (BUILD_DIR/corpus/<name>, kept between
# runs, never committed). A crash or broken invariant stops that target,
# leaves the input in BUILD_DIR/crashes/ and makes the script fail once every
# target has run. Replay one with: BUILD_DIR/fuzz/<name>_fuzz <file>
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build="${2:-build-fuzz}"
shift 2 2>/dev/null || shift $#
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" _fuzz.cpp)"); done
fi

failed=()
mkdir -p "$build/crashes"
for name in "${targets[@]}"; do
  binary="$build/fuzz/${name}_fuzz"
  if [ ! -x "$binary" ]; then
    echo "fuzz: $binary is missing (build with make fuzz-build)" >&2
    failed+=("$name")
    continue
  fi
  mkdir -p "$build/corpus/$name"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384
        -print_final_stats=1 -artifact_prefix="$build/crashes/$name-")
  [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
  echo "fuzz: $name for ${seconds}s"
  if ! nice "$binary" "${args[@]}" "$build/corpus/$name" "tests/fuzz/corpus/$name" >"$build/crashes/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see $build/crashes/$name.log" >&2
    grep -E 'ERROR|invariant|runtime error|Test unit written' "$build/crashes/$name.log" | head -5 >&2
    failed+=("$name")
  else
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$build/crashes/$name.log" | tr '\n' ' '
    echo
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no finding"
