# A blob this user may not read (mode 000, as a non-root user) is not damage: verify says
# access.denied, verdict unchecked, exit 5; repair plans nothing for it and exits 5 too. As root the
# case drops to the user nobody (root reads mode-000 files).
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
chmod -R a+rX . && chmod 755 .
blob=$(find "$dir" -mindepth 2 -type f | sort | head -1)
chmod 000 "$blob"
as_user "$BKCHECK" verify --read-data "$dir" | grep -E '^warning access.denied|^Verdict'
echo "verify exit ${PIPESTATUS[0]}"
# Without --read-data no content is read, but the mode says this user could not: not "ok" either.
as_user "$BKCHECK" verify "$dir" | grep -E '^warning access.denied|^Verdict: [a-z]*'
as_user "$BKCHECK" repair "$dir" >out.txt; echo "repair exit $?"
grep -c "this user may not read (access.denied): not damage" out.txt
grep -c 'drop_records' out.txt || true
# The index itself: access.denied too (before: manifest.unreadable, "repair", exit 1), and prune calls
# no blob an orphan for it.
chmod 644 "$blob" && chmod 000 "$dir/Manifest.db"
as_user "$BKCHECK" verify "$dir" | grep -E '^warning access.denied|^Verdict: [a-z]*'
echo "verify exit ${PIPESTATUS[0]}"
as_user "$BKCHECK" repair "$dir" | grep -c 'this user may not read (access.denied)'
as_user "$BKCHECK" prune "$dir" | grep -c 'remove_orphan_blobs' || true
as_user "$BKCHECK" doctor root | grep -o 'problem \[access.denied\]'
echo "doctor exit ${PIPESTATUS[0]}"
# prune, with nothing it may act on: exit 5 (part of the backup was not read), not 0 ("all clean").
as_user "$BKCHECK" prune "$dir" >/dev/null; echo "prune exit $?"
