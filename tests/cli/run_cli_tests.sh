#!/usr/bin/env bash
# CLI tests in the zstd style (tests/cli-tests there): each tests/cli/<case>.sh runs in a fresh scratch
# folder with $BKCHECK, $TESTDATA, $MAKE_BACKUP and $SHARED set. Beside it:
#   <case>.exit          the expected exit code (default 0)
#   <case>.stdout.glob   a bash pattern the whole stdout must match (optional)
#   <case>.stderr.glob   a bash pattern the whole stderr must match (optional)
# A case that needs ../shared (or an OS feature) and finds none prints "SKIP" as its only stdout and
# exits 0. Arguments after the first three name the cases to run (default: all). Cases use
# portable_tools.sh ($CLI_TOOLS), never GNU-only tools: they run on macOS too.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/portable_tools.sh"
bkcheck=$(abs_path "$1") testdata=$(abs_path "$2") make_backup=$(abs_path "$3")
shared=$(cd "$here/../../.." && pwd)/shared
passed=0 failed=0 skipped=0
case_scripts=("$here"/cases/*.sh)
if [ $# -gt 3 ]; then
  case_scripts=()
  for name in "${@:4}"; do case_scripts+=("$here/cases/$name.sh"); done
fi
for case_script in "${case_scripts[@]}"; do
  name=$(basename "$case_script" .sh)
  scratch=$(mktemp -d)
  (cd "$scratch" && BKCHECK=$bkcheck TESTDATA=$testdata MAKE_BACKUP=$make_backup SHARED=$shared \
     CLI_TOOLS=$here/portable_tools.sh \
     bash "$case_script" >"$scratch/.stdout" 2>"$scratch/.stderr")
  code=$?
  stdout=$(cat "$scratch/.stdout") stderr=$(cat "$scratch/.stderr")
  if [ -n "${BKCHECK_UNDER_WINE:-}" ]; then  # Windows paths printed as the patterns expect them
    stdout=$(python3 "$here/wine_paths.py" <"$scratch/.stdout")
    stderr=$(python3 "$here/wine_paths.py" <"$scratch/.stderr")
  fi
  if [ "$stdout" = "SKIP" ]; then
    skipped=$((skipped + 1)); echo "skip  $name"; rm -rf "$scratch"; continue
  fi
  expected_code=0
  [ -f "$here/cases/$name.exit" ] && expected_code=$(cat "$here/cases/$name.exit")
  problems=()
  [ "$code" = "$expected_code" ] || problems+=("exit code $code, expected $expected_code")
  if [ -f "$here/cases/$name.stdout.glob" ]; then
    pattern=$(cat "$here/cases/$name.stdout.glob")
    # shellcheck disable=SC2053
    [[ $stdout == $pattern ]] || problems+=("stdout does not match $name.stdout.glob")
  fi
  if [ -f "$here/cases/$name.stderr.glob" ]; then
    pattern=$(cat "$here/cases/$name.stderr.glob")
    # shellcheck disable=SC2053
    [[ $stderr == $pattern ]] || problems+=("stderr does not match $name.stderr.glob")
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1)); echo "ok    $name"
  else
    failed=$((failed + 1)); echo "FAIL  $name: ${problems[*]}"
    echo "--- stdout"; echo "$stdout"; echo "--- stderr"; echo "$stderr"
  fi
  rm -rf "$scratch"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
