# Ctrl-C during repair and prune (previews and --apply) stops them at once (measured well under
# half a second; the test allows a second, for sanitizer builds on a loaded machine): exit 130,
# "interrupted" on stderr, no plan or result printed, and the backup folder exactly as it was (no
# run left in the quarantine that would need undoing). The backup has a large index (150,000
# records without blobs, so every record is damage to plan for) so the planning takes seconds.
. "$CLI_TOOLS"
"$MAKE_BACKUP" --out b --files 150000 --no-blobs --damage snapshot_dir_present >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
before=$(tree_state b)
interrupt() {  # a label, then the command: SIGINT 0.5 s after it starts
  local label=$1
  shift
  "$@" >out 2>err &
  local pid=$!
  sleep 0.5
  kill -INT "$pid"
  local start=$(now_ms)
  wait "$pid"
  local code=$? ms=$(($(now_ms) - start))
  echo "$label: exit $code"
  if [ "$ms" -lt 1000 ]; then echo "$label: stopped"; else echo "$label: ran on for $ms ms"; fi
  [ -s out ] && echo "$label: printed $(head -c 200 out)"
  echo "$label: $(cat err)"
  after=$(tree_state b)
  [ "$after" = "$before" ] && echo "$label: backup unchanged" || { echo "$label: backup CHANGED"; ls -la b; }
}
interrupt "repair" "$BKCHECK" repair "$dir"
interrupt "repair --apply" "$BKCHECK" repair --apply --assume-finished "$dir"
interrupt "prune" "$BKCHECK" prune b
interrupt "prune --apply" "$BKCHECK" prune --apply --assume-finished b
exit 0
