# A running process holding a file of the backup open makes it in use whatever the times say: info,
# verify (text and JSON) and doctor name the process and pid; verify's verdict and exit status stay
# those of a sound backup; --assume-finished does not let --apply through. When the process ends
# the backup is not in use any more.
# Only where /proc is (Linux): elsewhere the OS cannot tell (tests/unit covers that answer).
[ -d /proc/self/fd ] || { echo SKIP; exit 0; }
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
find "$dir" -exec sh -c '. "$CLI_TOOLS"; touch_ago 7200 "$@"' sh {} +
"$BKCHECK" info "$dir" | grep -c 'In use' || true
sleep 30 < "$dir/Manifest.db" &
holder=$!
# Until the child has become `sleep` (before its exec it is still called bash).
for _ in $(seq 100); do [ "$(cat /proc/$holder/comm 2>/dev/null)" = sleep ] && break; sleep 0.05; done
"$BKCHECK" info "$dir" | grep -o 'In use: sleep (pid [0-9]*) has .*/Manifest.db open' | sed "s/pid $holder)/pid PID)/"
"$BKCHECK" verify "$dir" | grep -oE '^  In use: sleep \(pid [0-9]+\)|^Verdict: [a-z]*' | sed "s/pid $holder)/pid PID)/"
echo "verify exit ${PIPESTATUS[0]}"
"$BKCHECK" verify --json "$dir" | grep -E '"(reason|process|pid)"' | sed "s/$holder/PID/"
"$BKCHECK" doctor root | grep -o 'In use: sleep (pid [0-9]*)' | sed "s/pid $holder)/pid PID)/"
echo "doctor exit ${PIPESTATUS[0]}"
# --assume-finished is for a finished copy with new times, never for a live writer: still refused.
mkdir -p "$dir/Snapshot" && touch_ago 7200 "$dir/Snapshot" "$dir"
"$BKCHECK" prune --apply --assume-finished "$dir" 2>&1 | grep -o 'assume-finished does not override a running process'
echo "prune exit ${PIPESTATUS[0]}"
[ -d "$dir/Snapshot" ] && echo "Snapshot still there"
kill "$holder"; wait "$holder" 2>/dev/null
"$BKCHECK" info "$dir" | grep -c 'In use' || true
