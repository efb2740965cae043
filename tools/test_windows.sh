#!/usr/bin/env bash
# CI's Windows stage: cross-builds bkcheck.exe and bkcheck_tests.exe
# (tools/build_windows.sh) and runs under Wine
#   1. the unit tests (BKCHECK_WINE_SHARDS shards side by side, default 6);
#   2. the CLI cases (tests/cli/cases; verify, repair/undo round trips, extract with hostile names,
#      ...) with $BKCHECK the Windows exe, in as many shards;
#   3. verify --json on every testdata backup: the same JSON as the Linux build's, paths aside;
#   4. a repair --apply -> undo round trip on a freshly damaged backup: every byte back.
# Each step's time is printed at the end. The Linux build it compares with is $BKCHECK_LINUX_BUILD
# (default build-test, which tools/test.sh has just built; built here if absent).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs="${BKCHECK_JOBS:-$(nproc)}"
build="$root/build-windows"
linux_build="${BKCHECK_LINUX_BUILD:-$root/build-test}"
timings=()
started=$SECONDS

timed() {  # name command...: runs the command, remembers how long it took
  local name="$1" start=$SECONDS status=0
  shift
  echo "== $name"
  "$@" || status=$?
  timings+=("$(printf '%-44s %4ds%s' "$name" $((SECONDS - start)) "$([ $status -eq 0 ] || echo "  FAILED ($status)")")")
  return $status
}

report_times() {
  echo "== Windows stage times"
  printf '%s\n' "${timings[@]}"
  echo "total: $((SECONDS - started))s"
}
trap report_times EXIT

# The test build: -O1 compiles faster and tests the same code. BKCHECK_WINDOWS_SKIP_BUILD=1 runs
# the tests on the exes already in build-windows.
if [ -z "${BKCHECK_WINDOWS_SKIP_BUILD:-}" ]; then
  timed "build (apt, deps, cross-compile)" env BKCHECK_JOBS="$jobs" \
    BKCHECK_WINDOWS_TARGETS="bkcheck bkcheck_tests" BKCHECK_WINDOWS_OPT=-O1 \
    bash tools/build_windows.sh
fi

if [ ! -x "$linux_build/tools/bkcheck" ] || [ ! -x "$linux_build/tools/make_backup" ]; then
  timed "Linux build to compare with" bash -c "
    cmake -S . -B '$linux_build' -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
    cmake --build '$linux_build' -j$jobs --target bkcheck make_backup"
fi

# A private, headless Wine: its own prefix in the build folder, no debug chatter, no Mono or Gecko
# installers (mscoree, mshtml off), and one wineserver kept running for all the runs below.
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
wine=$(command -v wine64 || command -v wine)
# A server left running for this prefix by an earlier run (-p keeps one alive) would never let
# "wineserver -w" return: it is stopped first.
wineserver -k 2>/dev/null || true
timed "Wine first start (wineboot)" bash -c "'$wine' wineboot --init >/dev/null 2>&1; wineserver -w"
wineserver -p 600
trap 'wineserver -k 2>/dev/null || true; report_times' EXIT

# $BKCHECK for the CLI cases: the exe under Wine, exit code and streams passed through.
cat >"$build/bkcheck-wine" <<EOF
#!/bin/sh
exec "$wine" "$build/bkcheck.exe" "\$@"
EOF
chmod +x "$build/bkcheck-wine"

# Wine spends most of a test's time waiting on wineserver, not on the CPU (the unit tests: ~7 min
# of wall for ~2 of CPU in one process), so the tests run in more shards than cores.
shards="${BKCHECK_WINE_SHARDS:-6}"
unit_shard() {  # index count: runs every count-th listed test case from index under Wine
  local names="unit-shard-$1.txt"
  # A test name is a test spec to Catch2: its ',' '[' ']' '"' and '\' are escaped. The file is
  # named relative to the build folder: Catch2 on Windows reads an argument starting with '/' as
  # an option.
  awk -v i="$1" -v n="$2" '(NR % n) == i' "$build/unit-tests.txt" |
    sed -e 's/\\/\\\\/g' -e 's/,/\\,/g' -e 's/\[/\\[/g' -e 's/\]/\\]/g' -e 's/"/\\"/g' >"$build/$names"
  (cd "$build" && "$wine" bkcheck_tests.exe --input-file "$names" >"unit-shard-$1.log" 2>&1)
}
run_unit_tests() {
  local pids=() i status=0
  # The test names, listed once for every shard and the count below.
  "$wine" "$build/bkcheck_tests.exe" --list-test-names-only 2>/dev/null | tr -d '\r' | awk NF \
    >"$build/unit-tests.txt"
  for ((i = 0; i < shards; i++)); do unit_shard $i "$shards" & pids+=($!); done
  for ((i = 0; i < shards; i++)); do
    wait "${pids[$i]}" || status=1
    tail -3 "$build/unit-shard-$i.log"
  done
  # Every test case ran in some shard: the shards' counts add up to the list's.
  local listed ran
  listed=$(wc -l <"$build/unit-tests.txt")
  ran=$(cat "$build"/unit-shard-*.log | tr -d '\r' |
    sed -nE 's/^All tests passed \(.* in ([0-9]+) test cases?\)/\1/p; s/^test cases: *([0-9]+) .*/\1/p' |
    awk '{s += $1} END {print s + 0}')
  echo "unit test cases listed: $listed, run: $ran"
  [ "$listed" -eq "$ran" ] || status=1
  if [ $status -ne 0 ]; then grep -B3 -A12 -E 'FAILED|failed' "$build"/unit-shard-*.log | head -200; fi
  return $status
}
timed "unit tests under Wine" run_unit_tests || true

run_cli_tests() {
  local cases=() i pids=() status=0
  for i in tests/cli/cases/*.sh; do cases+=("$(basename "$i" .sh)"); done
  for ((i = 0; i < shards; i++)); do
    local shard=()
    local k
    for k in "${!cases[@]}"; do [ $((k % shards)) -eq $i ] && shard+=("${cases[$k]}"); done
    (cd "$build" && BKCHECK_UNDER_WINE=1 bash "$root/tests/cli/run_cli_tests.sh" "$build/bkcheck-wine" \
      "$root/testdata" "$linux_build/tools/make_backup" "${shard[@]}" >"$build/cli-shard-$i.log" 2>&1) &
    pids+=($!)
  done
  for ((i = 0; i < shards; i++)); do
    wait "${pids[$i]}" || true
    tail -1 "$build/cli-shard-$i.log"
  done
  # Failures outside tests/cli/wine_known_failures.txt fail the stage; listed cases that pass are
  # named so the list shrinks.
  local known failing case
  known=$(grep -v '^#' tests/cli/wine_known_failures.txt | LC_ALL=C sort)
  failing=$(grep -h '^FAIL' "$build"/cli-shard-*.log | cut -d: -f1 | sed 's/^FAIL *//' | LC_ALL=C sort)
  for case in $(LC_ALL=C comm -23 <(echo "$failing") <(echo "$known")); do
    echo "FAILS under Wine (not a known failure): $case"
    grep -h -A30 "^FAIL  $case:" "$build"/cli-shard-*.log | head -40
    status=1
  done
  for case in $(LC_ALL=C comm -13 <(echo "$failing") <(echo "$known")); do
    echo "passes now under Wine: $case (remove it from tests/cli/wine_known_failures.txt)"
  done
  echo "known failures under Wine: $(echo "$known" | grep -c .)"
  return $status
}
timed "CLI cases under Wine" run_cli_tests || true

# verify --json under Wine against the Linux build: the same report once each build's way of writing
# the backup's path is taken out.
compare_verify_json() {
  local status=0 dir name args linux windows
  for dir in testdata/backups/*/*/; do
    name=$(basename "$(dirname "$dir")")
    args=(verify --json)
    [ "$name" = encrypted-ios17 ] && args+=(--password-file "$build/demo-password")
    printf 'bkcheck-demo\n' >"$build/demo-password"
    linux=$("$linux_build/tools/bkcheck" "${args[@]}" "$root/$dir" 2>&1 || true)
    windows=$("$build/bkcheck-wine" "${args[@]}" "$root/$dir" 2>&1 || true)
    if diff <(normalise_paths "$root/$dir" <<<"$linux") <(normalise_paths "$root/$dir" <<<"$windows") \
      >"$build/verify-$name.diff"; then
      echo "same JSON: $name"
    else
      echo "DIFFERENT JSON: $name"; head -40 "$build/verify-$name.diff"; status=1
    fi
  done
  return $status
}
normalise_paths() {  # folder: stdin with that folder, however each build wrote it, as <BACKUP>
  python3 -c '
import json, sys
folder = sys.argv[1].rstrip("/")
text = sys.stdin.read()
# Linux prints the folder as given; Windows with backslashes (a rooted path on Wine'"'"'s drive).
for form in (folder + "/", folder, folder.replace("/", "\\") + "\\", folder.replace("/", "\\")):
    text = text.replace(json.dumps(form)[1:-1], "<BACKUP>")
# A remedy command quotes a path holding backslashes (in double quotes on Windows, JSON-escaped
# here): the quotes are part of the path as written.
sys.stdout.write(text.replace("\\\"<BACKUP>\\\"", "<BACKUP>").replace("'"'"'<BACKUP>'"'"'", "<BACKUP>"))' "$1"
}
timed "verify JSON: Wine = Linux" compare_verify_json || true

# repair --apply then undo under Wine restore every byte of a backup with several damages.
repair_undo_round_trip() {
  local work="$build/round-trip" dir before after
  rm -rf "$work" && mkdir -p "$work"
  dir=$("$linux_build/tools/make_backup" --out "$work/root" --files 20 --seed 30 --damage blob_missing \
    --damage orphan_blob)
  before=$(cd "$work/root" && find . -type f -exec sha1sum {} + | LC_ALL=C sort)
  "$build/bkcheck-wine" repair --apply "$dir" >"$work/repair.log" 2>&1 || true
  local changed
  changed=$(cd "$work/root" && find . -path ./.bkcheck-quarantine -prune -o -type f -exec sha1sum {} + |
    LC_ALL=C sort)
  [ "$changed" != "$before" ] || { echo "repair --apply changed nothing"; cat "$work/repair.log"; return 1; }
  "$build/bkcheck-wine" undo "$work/root" >"$work/undo.log" 2>&1 || { cat "$work/undo.log"; return 1; }
  after=$(cd "$work/root" && find . -path ./.bkcheck-quarantine -prune -o -type f -exec sha1sum {} + |
    LC_ALL=C sort)
  if [ "$before" = "$after" ]; then
    echo "repair -> undo under Wine: every byte restored"
  else
    echo "repair -> undo under Wine: NOT restored"; diff <(echo "$before") <(echo "$after") | head -20
    return 1
  fi
}
timed "repair -> undo round trip under Wine" repair_undo_round_trip || true

# The stage fails when any step failed (each ran to the end so the log shows them all).
! printf '%s\n' "${timings[@]}" | grep -q FAILED
