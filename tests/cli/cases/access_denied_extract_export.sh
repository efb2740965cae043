# A blob this user may not read (mode 000, as a non-root user) is not damage for extract and export
# either: not written, access.denied naming the blob, exit 5 (before: blob.unreadable, exit 1). The
# export leaves its record out and says so, never a silent gap; an index this user may not read is
# exit 5 too (before: 1, "damaged"). As root the case drops to the user nobody.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
chmod -R a+rX . && chmod 755 . && mkdir out && chmod 777 out
blob=$(find "$dir" -mindepth 2 -type f | sort | head -1)
id=$(basename "$blob")
chmod 000 "$blob"
as_user "$BKCHECK" extract --file-id "$id" "$dir" out/files >extract.txt; echo "extract exit $?"
grep -c "access.denied .*$id: cannot open: Permission denied" extract.txt
grep -c 'blob.unreadable' extract.txt || true
grep '^1 file this user may not read' extract.txt
find out/files -type f ! -name '.bkcheck-names-*' | wc -l  # the marker of OUT's name rules aside
as_user "$BKCHECK" export "$dir" out/exported >export.txt; echo "export exit $?"
grep -c "access.denied .*$id" export.txt
grep -o 'left out of the export, record and all' export.txt
as_user "$BKCHECK" ls out/exported/*/ | grep -c . 
as_user "$BKCHECK" ls "$dir" | grep -c .
chmod 644 "$blob" && chmod 000 "$dir/Manifest.db"
as_user "$BKCHECK" extract "$dir" out/more 2>&1; echo "extract exit $?"
