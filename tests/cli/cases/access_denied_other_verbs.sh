# Every other verb that reads, given something this user may not read, names it and exits 5: never
# "damaged" (1), never "not encrypted", "no runs" or "nothing to purge" (0). A blob folder it may not
# list is access.denied for verify (before: blob.unreadable plus blob.missing for each file in it, and
# a repair that dropped their records) and for the seal check (before: "changed"). As root the case
# drops to the user nobody.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
"$BKCHECK" verify --read-data --seal --seal-file seal.txt "$dir" >/dev/null || exit 9
chmod -R a+rX . && chmod 755 .
chmod 000 "$dir"
for verb in info ls usage unlock; do as_user "$BKCHECK" "$verb" "$dir" 2>&1; echo "$verb exit $?"; done
chmod 755 "$dir" && chmod 000 "$dir/Manifest.plist"
for verb in ls usage unlock; do as_user "$BKCHECK" "$verb" "$dir" 2>&1; echo "$verb exit $?"; done
chmod 644 "$dir/Manifest.plist" && chmod 000 "$dir/Manifest.db"
for verb in ls usage; do as_user "$BKCHECK" "$verb" "$dir" 2>&1; echo "$verb exit $?"; done
chmod 644 "$dir/Manifest.db"
folder=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | sort | head -1)
chmod 000 "$folder"
as_user "$BKCHECK" verify --read-data "$dir" | grep -E '^(error|warning) |^Verdict: [a-z]*'; echo "verify exit ${PIPESTATUS[0]}"
as_user "$BKCHECK" repair "$dir" | grep -c 'drop_records'; echo "repair exit ${PIPESTATUS[0]}"
as_user "$BKCHECK" verify --against-seal --seal-file seal.txt "$dir" | grep -E '^warning |^Verdict: [a-z]*'
echo "against-seal exit ${PIPESTATUS[0]}"
chmod 755 "$folder"
# A quarantine run this user may not read.
mkdir "$dir/ff" && echo x >"$dir/ff/ffffffffffffffffffffffffffffffffffffffff"
"$BKCHECK" prune --apply root >/dev/null || exit 9
chmod -R a+rX root && chmod 000 root/.bkcheck-quarantine/*-prune-*
as_user "$BKCHECK" undo --list root 2>&1 | sed 's/[0-9]\{8\}-[0-9]\{6\}-prune-[0-9a-f]*/RUN/'; echo "undo exit ${PIPESTATUS[0]}"
as_user "$BKCHECK" purge root 2>&1 | sed 's/[0-9]\{8\}-[0-9]\{6\}-prune-[0-9a-f]*/RUN/'; echo "purge exit ${PIPESTATUS[0]}"
chmod 755 root/.bkcheck-quarantine/*-prune-*
