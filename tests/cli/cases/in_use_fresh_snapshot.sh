# A backup written in the last minutes (a fresh make_backup one, as after a copy or a git clone) is
# in use: a state that list, info and verify show without changing their verdict or exit status;
# prune and repair previews warn that --apply will be refused, --apply is (exit 5, nothing moved), and
# --assume-finished lets it through (the Snapshot goes to quarantine). Backdated, it is not in use.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --damage snapshot_dir_present) || exit 9
"$BKCHECK" verify "$dir" | grep -oE '^  In use: .*|^Verdict: [a-z]*'
echo "verify exit ${PIPESTATUS[0]}"
"$BKCHECK" info "$dir" | grep -c '^  In use: '
echo "info exit ${PIPESTATUS[0]}"
"$BKCHECK" list --json root | grep -A2 '"in_use"'
"$BKCHECK" prune root | grep -A1 '^In use: '
echo "prune exit ${PIPESTATUS[0]}"
"$BKCHECK" repair "$dir" | grep -c -- '--apply will be refused (exit 5)'
"$BKCHECK" repair --apply "$dir" >/dev/null 2>&1; echo "repair --apply exit $?"
"$BKCHECK" prune --apply root 2>&1; echo "prune --apply exit $?"
[ -d "$dir/Snapshot" ] && echo "Snapshot still in place"
"$BKCHECK" prune --assume-finished root | grep -- '--assume-finished'
"$BKCHECK" prune --apply --assume-finished root | grep -E -- '--assume-finished|^Applied'
echo "prune --apply --assume-finished exit ${PIPESTATUS[0]}"
[ -d "$dir/Snapshot" ] || echo "Snapshot moved"
find root/.bkcheck-quarantine -type d -name Snapshot | grep -c .
other=$("$MAKE_BACKUP" --out other --damage snapshot_dir_present) || exit 9
"$BKCHECK" repair --apply --assume-finished "$other" | grep -E -- '--assume-finished|^After the repair'
echo "repair --apply --assume-finished exit ${PIPESTATUS[0]}"
# The same kind of backup with old times: not in use, and the same verdict and exit status as above.
old=$("$MAKE_BACKUP" --out old --damage snapshot_dir_present) || exit 9
find "$old" -exec sh -c '. "$CLI_TOOLS"; touch_ago 7200 "$@"' sh {} +
"$BKCHECK" verify "$old" | grep -oE '^  In use: .*|^Verdict: [a-z]*'
echo "verify exit ${PIPESTATUS[0]}"
"$BKCHECK" list --json old | grep '"in_use"'
"$BKCHECK" prune old | grep -c '^In use' || true
