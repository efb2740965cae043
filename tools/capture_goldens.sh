#!/bin/bash
# Captures what every verb prints (stdout, stderr, exit code; text and --json) on copies of the
# testdata backups, so a refactoring can be shown to leave every output byte-identical:
#   tools/capture_goldens.sh OLD/bkcheck /tmp/before; tools/capture_goldens.sh NEW/bkcheck /tmp/after
#   diff -r /tmp/before /tmp/after
# testdata/ is never touched: each case works on a fresh copy in a scratch folder, with a fixed HOME
# (so `list`/`doctor` without ROOT see no backups of the user), TZ and locale. Masked are only what
# legitimately differs between two runs: the scratch path, run names and times "now".
# Usage: capture_goldens.sh BKCHECK_BINARY OUTDIR
set -uo pipefail
[[ $# == 2 ]] || { echo "usage: $0 BKCHECK_BINARY OUTDIR" >&2; exit 2; }
bkcheck=$(realpath "$1")
out=$2
testdata=$(realpath "$(dirname "$0")/../testdata/backups")
scratch=$(mktemp -d /tmp/bkcheck-goldens.XXXXXX)
trap 'chmod -R u+rwX "$scratch"; rm -rf "$scratch"' EXIT
mkdir -p "$out" "$scratch/home"
export HOME=$scratch/home TZ=UTC LC_ALL=C NO_COLOR=1
unset BKCHECK_PASSWORD APPDATA USERPROFILE
printf 'bkcheck-demo' >"$scratch/password"
printf 'wrong-password' >"$scratch/wrong"

plain17=00008030-37AD2D0D6C0157A9
enc17=00008030-A106081278B7AEE7
plain9=3140c4b7d3e6bc3df24ab1fb07139f86bef32641

today=$(date -u +%Y-%m-%d)
mask() {
  # The scratch path, quarantine run ids (they start with the time), times of today (when a run or a
  # seal was made) and seal timestamps.
  sed -E -e "s#$scratch#SCRATCH#g" \
         -e 's/[0-9]{8}-[0-9]{6}-(prune|repair)-[0-9a-f]+/RUN-\1/g' \
         -e "s/$today [0-9]{2}:[0-9]{2}(:[0-9]{2})?/TODAY/g" \
         -e "s/${today}T[0-9:.]+Z?/TODAY/g" \
         -e 's/"(sealed_at|created)": [0-9]+/"\1": SECONDS/g'
}

# fresh NAME: a new copy of every sample under $scratch/NAME; prints nothing.
fresh() {
  rm -rf "${scratch:?}/$1"
  mkdir -p "$scratch/$1"
  cp -a "$testdata"/. "$scratch/$1/"
}

# run CASE ARGS...: runs bkcheck in $scratch and keeps its masked stdout, stderr and exit code.
run() {
  local name=$1
  shift
  (cd "$scratch" && "$bkcheck" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" </dev/null)
  echo $? >"$out/$name.exit"
  for stream in stdout stderr; do
    mask <"$out/$name.$stream" >"$out/$name.$stream.masked" && mv "$out/$name.$stream.masked" "$out/$name.$stream"
  done
}

# tree CASE DIR: every file below DIR with its size and SHA-256 (what extract/export/repair wrote).
tree() {
  (cd "$2" && find . -type f -o -type l | LC_ALL=C sort | while read -r f; do
    if [[ -L $f ]]; then echo "$f -> $(readlink "$f")"; else echo "$f $(stat -c %s "$f") $(sha256sum <"$f" | cut -c1-64)"; fi
  done) | mask >"$out/$1.tree"
}

run version --version
for verb in list info doctor verify unlock prune repair undo purge ls usage extract export; do
  run "help-$verb" "$verb" --help
done

fresh ro
b=$scratch/ro
declare -A dirs=([plain17]=$b/plain-ios17/$plain17 [enc17]=$b/encrypted-ios17/$enc17
                 [plain9]=$b/plain-ios9/$plain9 [damaged17]=$b/damaged-ios17/$plain17)
pw=(--password-file "$scratch/password")
run list-home list
run list-root list "$b"
run list-root-json list "$b" --json
run list-each list "$b/plain-ios17" "$b/plain-ios9" "$b/damaged-ios17" "$b/encrypted-ios17"
run doctor-home doctor
run doctor-root doctor "$b"
run doctor-root-v doctor -v "$b"
run doctor-root-json doctor "$b" --json
run doctor-root-pw doctor "$b" "${pw[@]}"
run doctor-root-pw-json doctor "$b" "${pw[@]}" --json
for name in plain17 plain9 damaged17 enc17; do
  d=${dirs[$name]}
  run "info-$name" info "$d"
  run "info-$name-json" info "$d" --json
  run "verify-$name" verify "$d"
  run "verify-$name-json" verify "$d" --json
  run "verify-$name-data" verify "$d" --read-data
  run "verify-$name-data-json" verify "$d" --read-data --json
  run "verify-$name-data-q" verify "$d" --read-data -q
  run "verify-$name-max1" verify "$d" --read-data --max-findings 1
  run "ls-$name" ls "$d"
  run "ls-$name-json" ls "$d" --json
  run "ls-$name-home" ls "$d" --domain HomeDomain --path 'Library/*'
  run "usage-$name" usage "$d"
  run "usage-$name-json" usage "$d" --json --top 3
  run "prune-$name" prune "$d"
  run "prune-$name-json" prune "$d" --json
  run "repair-$name" repair "$d"
  run "repair-$name-json" repair "$d" --json
  run "undo-list-$name" undo "$d" --list
  run "purge-$name" purge "$d"
  run "unlock-$name" unlock "$d"
done
for name in enc17; do
  d=${dirs[$name]}
  run "verify-$name-pw" verify "$d" "${pw[@]}"
  run "verify-$name-pw-data" verify "$d" "${pw[@]}" --read-data
  run "verify-$name-pw-data-json" verify "$d" "${pw[@]}" --read-data --json
  run "verify-$name-wrong" verify "$d" --password-file "$scratch/wrong"
  run "ls-$name-pw" ls "$d" "${pw[@]}"
  run "ls-$name-pw-json" ls "$d" "${pw[@]}" --json
  run "usage-$name-pw" usage "$d" "${pw[@]}"
  run "usage-$name-pw-json" usage "$d" "${pw[@]}" --json
  run "unlock-$name-pw" unlock "$d" "${pw[@]}"
  run "unlock-$name-wrong" unlock "$d" --password-file "$scratch/wrong"
  run "unlock-$name-save" unlock "$d" "${pw[@]}" --save-key "$scratch/key"
  run "unlock-$name-save-again" unlock "$d" "${pw[@]}" --save-key "$scratch/key"
  run "verify-$name-key" verify "$d" --key-file "$scratch/key" --read-data
  run "prune-$name-pw" prune "$d" "${pw[@]}"
  run "repair-$name-pw" repair "$d" "${pw[@]}"
done

# extract and export: what they print and every file they write.
for name in plain17 plain9 damaged17 enc17; do
  d=${dirs[$name]}
  extra=()
  [[ $name == enc17 ]] && extra=("${pw[@]}")
  run "extract-$name" extract "$d" "$scratch/x-$name" "${extra[@]}"
  tree "extract-$name" "$scratch/x-$name"
  run "extract-$name-filtered" extract "$d" "$scratch/xf-$name" --domain HomeDomain "${extra[@]}"
  tree "extract-$name-filtered" "$scratch/xf-$name"
  run "export-$name" export "$d" "$scratch/e-$name" "${extra[@]}"
  [[ -d $scratch/e-$name ]] && tree "export-$name" "$scratch/e-$name"
  run "export-$name-keep" export "$d" "$scratch/ek-$name" --keep-damaged "${extra[@]}"
  [[ -d $scratch/ek-$name ]] && tree "export-$name-keep" "$scratch/ek-$name"
  [[ -d $scratch/e-$name ]] && run "verify-export-$name" verify "$scratch/e-$name" --read-data
done
run extract-enc17-nopw extract "${dirs[enc17]}" "$scratch/x-nopw"

# Seal: write one, check against it, then change a blob and check again.
fresh seal
s=$scratch/seal/plain-ios17/$plain17
run seal-write verify "$s" --read-data --seal
run seal-check verify "$s" --against-seal
run seal-check-json verify "$s" --against-seal --json
printf 'x' >>"$s/$(cd "$s" && find . -path './??/*' -type f | LC_ALL=C sort | head -1)"
run seal-check-changed verify "$s" --against-seal
run seal-check-changed-json verify "$s" --against-seal --json

# Changes for real on a copy: repair and prune apply, the quarantine they leave, undo and purge.
fresh apply
a=$scratch/apply/damaged-ios17/$plain17
run apply-repair repair "$a" --apply
run apply-repair-verify verify "$a" --read-data
run apply-undo-list undo "$a" --list
run apply-undo undo "$a"
run apply-undo-verify verify "$a" --read-data
sleep 1  # runs list by id, which starts with the second: keep repair before prune
run apply-prune prune "$a" --apply
run apply-prune-json-list undo "$a" --list
run apply-purge purge "$a"
run apply-purge-apply purge "$a" --apply
run apply-prune-root prune "$scratch/apply" --keep-last 1
run apply-prune-root-json prune "$scratch/apply" --keep-last 1 --json
tree apply-after "$scratch/apply"
exit 0
