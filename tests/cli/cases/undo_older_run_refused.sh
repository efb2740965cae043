# Runs are undone newest first where they meet: undo of a run while a newer run that changed the same
# backup stays applied is refused (exit 5, nothing changed), naming the newer run and its undo
# command (before: allowed silently, leaving the backup as neither run left it). Runs that changed
# different backups are undone in any order.
. "$CLI_TOOLS"
a=$("$MAKE_BACKUP" --out u --files 5 --damage orphan_blob --seed 1) || exit 9
b=$("$MAKE_BACKUP" --out u --files 5 --damage orphan_blob --seed 2) || exit 9
last_run() { "$BKCHECK" undo --list --json u | python3 -c 'import json, sys; print(json.load(sys.stdin)["runs"][-1]["id"])'; }
"$BKCHECK" prune "$a" --apply >/dev/null; run_a=$(last_run)
"$BKCHECK" prune "$b" --apply >/dev/null
"$BKCHECK" undo u "$run_a" >/dev/null; echo "undo of a run on another backup than the newer one: exit $?"
"$BKCHECK" prune "$a" --apply >/dev/null; older=$(last_run)
mkdir "$a/Snapshot" && echo left >"$a/Snapshot/f"
"$BKCHECK" prune "$a" --apply --assume-finished >/dev/null; newer=$(last_run)
before=$(tree_state u)
"$BKCHECK" undo u "$older" 2>err.txt; echo "undo of the older run: exit $?"
sed -e "s#$older#OLDER#g" -e "s#$newer#NEWER#g" -e "s#${a#u/}#A#g" err.txt
[ "$(tree_state u)" = "$before" ] && echo "nothing changed"
"$BKCHECK" undo u "$newer" >/dev/null && "$BKCHECK" undo u "$older" >/dev/null; echo "newest first: exit $?"
