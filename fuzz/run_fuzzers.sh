#!/usr/bin/env bash
# Builds every fuzz/fuzz_*.cpp with clang + libFuzzer + ASan/UBSan and runs each for a bounded time
# on a copy of its corpus. A crash fails the run and leaves the input in build-fuzz/crashes/<target>/;
# commit it to fuzz/regressions/<target>/ so CTest replays it forever.
# Usage: fuzz/run_fuzzers.sh [seconds per target, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBKCHECK_FUZZ_ENGINE=libfuzzer \
  -DBKCHECK_WERROR=ON >/dev/null
targets=()
for source in fuzz/fuzz_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"
status=0
for target in "${targets[@]}"; do
  work=build-fuzz/corpus-work/$target crashes=build-fuzz/crashes/$target
  rm -rf "$work" && mkdir -p "$work" "$crashes"
  [ -d "fuzz/corpus/$target" ] && cp -r "fuzz/corpus/$target/." "$work/"
  dict=(); [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  echo "fuzzing $target for ${seconds}s"
  if ! "build-fuzz/fuzz/$target" "$work" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
       -max_len=65536 -artifact_prefix="$crashes/" -print_final_stats=1 2>"build-fuzz/$target.log"; then
    echo "FAIL  $target: see build-fuzz/$target.log and $crashes/"; tail -n 40 "build-fuzz/$target.log"; status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build-fuzz/$target.log" | sed "s/^/  /"
  fi
done
exit $status
