#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/fuzz_*.cpp) with clang + ASan/UBSan and runs each for a bounded
# time on a copy of its corpus, with its dictionary (fuzz/dict/<target>.dict) when there is one. A
# crash fails the run and leaves the input in build-fuzz/crashes/<target>/; commit it to
# fuzz/regressions/<target>/ so CTest replays it forever. One line per target: executions, exec/s,
# peak RSS.
# Usage: fuzz/run_fuzzers.sh [SECONDS per target, default 30] [TARGET...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30
if [[ ${1:-} =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in fuzz/fuzz_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi
for target in "${targets[@]}"; do
  [ -f "fuzz/$target.cpp" ] || { echo "no such fuzz target: $target (fuzz/$target.cpp)" >&2; exit 2; }
done
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBKCHECK_FUZZ_ENGINE=libfuzzer \
  -DBKCHECK_WERROR=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

stat_of() { sed -n "s/^stat::$1: *//p" "$2"; }
status=0
for target in "${targets[@]}"; do
  work=build-fuzz/corpus-work/$target crashes=build-fuzz/crashes/$target log=build-fuzz/$target.log
  rm -rf "$work" && mkdir -p "$work" "$crashes"
  [ -d "fuzz/corpus/$target" ] && cp -r "fuzz/corpus/$target/." "$work/"
  dict=(); [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  # Manifest.db inputs above 16 KiB halve the speed for no coverage of src/ (the 512-byte-page seeds
  # fit); the other formats are small anyway.
  max_len=65536; [ "$target" = fuzz_manifest_db ] && max_len=16384
  if "build-fuzz/fuzz/$target" "$work" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
       -max_len="$max_len" -artifact_prefix="$crashes/" -print_final_stats=1 2>"$log"; then
    verdict="no finding"
  else
    verdict="FAILED: see $log and $crashes/"; status=1
    tail -n 40 "$log"
  fi
  printf '%-18s %10s executions %7s exec/s  peak RSS %5s MB  %s\n' "$target" \
    "$(stat_of number_of_executed_units "$log")" "$(stat_of average_exec_per_sec "$log")" \
    "$(stat_of peak_rss_mb "$log")" "$verdict"
done
exit $status
