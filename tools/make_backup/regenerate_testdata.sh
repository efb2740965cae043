#!/usr/bin/env bash
# Regenerates the sample backups in testdata/backups/ with make_backup. The output is deterministic:
# running this on an unchanged generator leaves `git status` clean.
# Usage: tools/make_backup/regenerate_testdata.sh [path/to/make_backup]
# (default: build/tools/make_backup, built with cmake -S . -B build && cmake --build build)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
make_backup=${1:-$root/build/tools/make_backup}
if [[ ! -x $make_backup ]]; then
  echo "regenerate_testdata.sh: $make_backup is not built; pass its path as the first argument" >&2
  exit 2
fi
backups=$root/testdata/backups

# Small blobs keep the committed samples a few hundred KB in total.
common=(--files 12 --max-blob-bytes 2048)

regenerate() {
  local name=$1
  shift
  rm -rf "${backups:?}/$name"
  "$make_backup" --out "$backups/$name" "${common[@]}" "$@" >/dev/null
  echo "testdata/backups/$name: make_backup ${common[*]} $*"
}

regenerate plain-ios17 --format db --binary --seed 17
regenerate encrypted-ios17 --format db --binary --encrypted --password bkcheck-demo --iterations 10 \
  --dp-iterations 100 --seed 18
regenerate plain-ios9 --format mbdb --xml --seed 9
regenerate damaged-ios17 --format db --binary --seed 17 --damage blob_missing --damage orphan_blob
