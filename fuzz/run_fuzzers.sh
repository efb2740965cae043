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
# Line tables are all a crash's stack needs (full -g makes each compile a third slower).
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBKCHECK_FUZZ_ENGINE=libfuzzer \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" -DBKCHECK_WERROR=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

stat_of() { sed -n "s/^stat::$1: *//p" "$2"; }
# One target: writes its summary line to build-fuzz/<target>.summary; fails on a finding.
run_target() {
  local target=$1
  local work=build-fuzz/corpus-work/$target crashes=build-fuzz/crashes/$target log=build-fuzz/$target.log
  rm -rf "$work" && mkdir -p "$work" "$crashes"
  [ -d "fuzz/corpus/$target" ] && cp -r "fuzz/corpus/$target/." "$work/"
  local dict=(); [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  # Manifest.db inputs above 16 KiB halve the speed for no coverage of src/ (the 512-byte-page seeds
  # fit); the other formats are small anyway.
  local max_len=65536; case $target in fuzz_manifest_db|fuzz_content_sqlite) max_len=16384 ;; esac
  # Per-input limits: an input over them is a finding (a crash file), like a crash. The plist-based
  # parsers and the keybag must answer any input within 64 KiB in well under a second and a few MB
  # (README "Bounded parsers"): 2 s and 1 GB of the whole process (ASan's quarantine and the corpus
  # included: 280 MB after 120 s) leave room for ASan on a busy machine and catch what libplist 2.2
  # alone did (57 s and 4.2 GB for 24 shared levels, a stack overflow at 100,000 levels).
  local rss_limit_mb=2048 timeout=1200  # libFuzzer's default timeout
  case $target in fuzz_plist|fuzz_mbfile|fuzz_mbfile_reader|fuzz_keybag) rss_limit_mb=1024 timeout=2 ;; esac
  local verdict status=0
  if "build-fuzz/fuzz/$target" "$work" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb="$rss_limit_mb" \
       -timeout="$timeout" -max_len="$max_len" -artifact_prefix="$crashes/" -print_final_stats=1 2>"$log"; then
    verdict="no finding"
  else
    verdict="FAILED: see $log and $crashes/"; status=1
  fi
  printf '%-18s %10s executions %7s exec/s  peak RSS %5s MB  %s\n' "$target" \
    "$(stat_of number_of_executed_units "$log")" "$(stat_of average_exec_per_sec "$log")" \
    "$(stat_of peak_rss_mb "$log")" "$verdict" >"build-fuzz/$target.summary"
  return $status
}
# As many targets at once as there are cores (each fuzzer is one process on one core): the same
# time per target, the wall time divided by the cores.
status=0 running=()
for target in "${targets[@]}"; do
  run_target "$target" & running+=($!)
  if [ ${#running[@]} -ge "$(nproc)" ]; then
    wait "${running[0]}" || status=1
    running=("${running[@]:1}")
  fi
done
for pid in "${running[@]}"; do wait "$pid" || status=1; done
for target in "${targets[@]}"; do
  cat "build-fuzz/$target.summary"
  case $(cat "build-fuzz/$target.summary") in *FAILED*) tail -n 40 "build-fuzz/$target.log" ;; esac
done
exit $status
