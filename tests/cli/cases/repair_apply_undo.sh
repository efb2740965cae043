# repair previews, applies (verify then says ok), and undo restores every byte.
. "$CLI_TOOLS"
cp -r "$TESTDATA"/backups/damaged-ios17 root
dir=$(ls -d root/*/)
before=$(file_sums root)
"$BKCHECK" repair "$dir" >/dev/null; echo "preview exit $?"
"$BKCHECK" repair --apply "$dir"
"$BKCHECK" undo root >/dev/null || exit 9
after=$(file_sums root .bkcheck-quarantine)
[ "$before" = "$after" ] && echo "undo: identical"
