# repair as a user who may not read Manifest.db: "Not examined" says the index itself went unread
# (so no file it lists was checked), not only "1 file this user may not read", which read as if the
# rest had been looked at. As root the case drops to the user nobody.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
chmod -R a+rX . && chmod 755 . && chmod 000 "$dir/Manifest.db"
as_user "$BKCHECK" repair "$dir" >out.txt; echo "repair exit $?"
grep '^Not examined:' out.txt
# A blob this user may not read, with the index readable: the index is not said to be unread.
chmod 644 "$dir/Manifest.db" && chmod 000 "$(find "$dir" -mindepth 2 -type f | sort | head -1)"
as_user "$BKCHECK" repair "$dir" | grep -c "the index, which this user may not read" || true
